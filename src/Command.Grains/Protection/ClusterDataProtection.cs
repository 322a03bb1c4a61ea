using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Grains.Protection;

public static class ClusterDataProtection
{
    /// <summary>
    /// One application name on every node (the default is the content root, which differs between machines),
    /// and the key ring in the store the cluster shares, so any silo can decrypt what another encrypted.
    /// </summary>
    public static IServiceCollection AddClusterDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Command");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new GrainXmlRepository(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }
}
