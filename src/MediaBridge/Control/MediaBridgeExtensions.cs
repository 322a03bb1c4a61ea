using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaBridge.Control;

public static class MediaBridgeExtensions
{
    /// <summary>The bridge in this process: registrar (with its durable bindings) and SIP transport. The host adds <see cref="BridgeHealthCheck"/>.</summary>
    public static IServiceCollection AddMediaBridge(this IServiceCollection services)
    {
        services.AddOptions<BridgeOptions>().BindConfiguration(BridgeOptions.Section).ValidateDataAnnotations()
            .Validate(o => (o.IceAddresses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(a => System.Net.IPAddress.TryParse(a, out _)),
                "Command:Bridge:IceAddresses must list IP addresses separated by commas.")
            .ValidateOnStart();
        services.AddOptions<Legs.Uplinks.UplinkOptions>().BindConfiguration(Legs.Uplinks.UplinkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<VenueCredentials>();
        services.AddSingleton<MediaMeters>();
        services.AddSingleton<GrainPresenceSink>();
        services.AddSingleton<GrainLegEvents>();
        services.AddSingleton<GrainFeedReports>();
        services.AddSingleton<GrainUplinks>();
        services.AddSingleton<GrainBindingStore>();
        services.AddSingleton<BridgeAgent>();
        services.AddSingleton<SipBridgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipBridgeService>());
        return services;
    }
}
