using Command.Contracts.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail's settings, writer with background retry, and periodic signed checkpoints.</summary>
    public static IServiceCollection AddCommandAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        services.AddHostedService<AuditCheckpointService>();
        return services;
    }
}
