using Command.Contracts.Recordings;
using MediaBridge.Legs.Recorders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
        services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => Recorders(sp.GetRequiredService<IOptions<RecordingOptions>>().Value, sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<GrainRecordingReports>();
        services.AddHostedService<RecordingSweeper>();
        services.AddHealthChecks().AddCheck<RecordingHealthCheck>("recording");
        services.AddSingleton<GrainBindingStore>();
        services.AddSingleton<BridgeAgent>();
        services.AddSingleton<SipBridgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipBridgeService>());
        return services;
    }

    /// <summary>The recorders' settings; recordings go under the node's data directory unless a folder of their own is set.</summary>
    private static RecorderOptions Recorders(RecordingOptions o, IConfiguration configuration, IHostEnvironment environment) => new()
    {
        Root = o.RootFor(configuration["Command:DataDirectory"], environment.ContentRootPath),
        MinFreeBytes = o.MinFreeMegabytes * 1024 * 1024,
        SegmentSeconds = o.SegmentSeconds,
        Ffmpeg = o.Ffmpeg,
        CheckEvery = TimeSpan.FromSeconds(o.CheckSeconds),
    };
}
