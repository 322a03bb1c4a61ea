using System.ComponentModel.DataAnnotations;
using System.Net;
using Command.Contracts.Recordings;
using Command.Contracts.Regions;
using Command.Contracts.Topology;
using Command.Grains;
using Command.Grains.Audit;
using Command.Grains.Cascade;
using Command.Contracts.Cascade;
using Command.Grains.Protection;
using Command.Grains.Recordings;
using Command.Grains.Timeline;
using Command.Grains.Topology;
using Command.Silo.Store;
using Command.Web.Hosting;
using MediaBridge.Control;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;

namespace Command.Silo.Hosting;

public static class CommandSiloExtensions
{
    /// <summary>
    /// Everything one node runs: the store (embedded, or Redis when configured), the Orleans silo,
    /// the topology seed and the HTTP API.
    /// </summary>
    public static WebApplicationBuilder AddCommandNode(this WebApplicationBuilder builder)
    {
        ConfigDirectory.Add(builder.Configuration, builder.Environment.EnvironmentName);
        var options = builder.Configuration.GetSection(CommandOptions.Section).Get<CommandOptions>() ?? new CommandOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        builder.Services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var topology = LoadTopology(builder, options);
        builder.Services.AddSingleton(topology);
        var uplinks = (builder.Configuration.GetSection(CascadeOptions.Section).Get<CascadeOptions>() ?? new CascadeOptions()).Requests();

        var store = builder.AddCommandStore(options);
        builder.AddCommandSilo(options, store, uplinks);
        builder.Services.AddClusterDataProtection();
        builder.Services.AddCommandWeb();
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        if (builder.Configuration.GetValue(BridgeOptions.Section + ":Enabled", true))
        {
            builder.Services.AddMediaBridge();
            builder.Services.AddHealthChecks().AddCheck<BridgeHealthCheck>("bridge");
        }
        else
        {
            // The bridge binds the recording options; without one, the recording retention sweep still goes by them.
            builder.Services.AddOptions<RecordingOptions>().BindConfiguration(RecordingOptions.Section)
                .ValidateDataAnnotations().ValidateOnStart();
        }

        return builder;
    }

    private static TopologyDocument LoadTopology(WebApplicationBuilder builder, CommandOptions options)
    {
        var path = options.TopologyFile is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.Environment.ContentRootPath)
            : Path.Combine(AppContext.BaseDirectory, "topology", "foshan.json");
        return TopologyLoader.LoadFile(path);
    }

    /// <summary>The ports this node binds itself once its store is up: its HTTP addresses, the silo's, the gateway's and SIP.</summary>
    private static HashSet<int> NodePorts(IConfiguration configuration, CommandOptions options)
    {
        var ports = new HashSet<int> { options.SiloPort, options.GatewayPort };
        foreach (var url in (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel accepts wildcard hosts (http://*:5080, http://+:5080) that Uri does not; only the port matters here.
            if (Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                ports.Add(uri.Port);
            }
        }

        if (int.TryParse(configuration["Command:Bridge:SipPort"], out var sip))
        {
            ports.Add(sip);
        }

        return ports;
    }

    private static StoreConnection AddCommandStore(this WebApplicationBuilder builder, CommandOptions options)
    {
        StoreConnection connection;
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            var dataDirectory = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
            var embedded = new EmbeddedStore(dataDirectory, options.StorePort, avoid: NodePorts(builder.Configuration, options));

            // The backup command finds the running store through this file (its port is usually picked at random).
            File.WriteAllText(BackupTool.PortFile(dataDirectory), embedded.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.Services.AddSingleton(embedded);
            connection = new StoreConnection(embedded.ConnectionString, embedded: true);
            builder.Services.AddSingleton<StoreCheckpointer>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreCheckpointer>());
        }
        else
        {
            connection = new StoreConnection(options.Redis, embedded: false);
        }

        builder.Services.AddSingleton(connection);
        builder.Services.AddSingleton<IAuditStore>(new RedisAuditStore(connection, options.ServiceId));
        builder.Services.AddSingleton<ITimelineStore>(new RedisTimelineStore(connection, options.ServiceId));
        builder.Services.AddSingleton<IRecordingChapterStore>(new RedisRecordingChapterStore(connection, options.ServiceId));
        return connection;
    }

    private static void AddCommandSilo(this WebApplicationBuilder builder, CommandOptions options, StoreConnection store, System.Collections.Immutable.ImmutableArray<UplinkRequest> uplinks)
    {
        builder.UseOrleans(silo =>
        {
            if (store.Embedded)
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }
            else
            {
                silo.UseRedisClustering(o => o.ConfigurationOptions = StoreConnection.Options(store.ConnectionString));
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);

                // Declare a killed silo dead within seconds, so its grains reactivate elsewhere quickly. A silo
                // publishes its heartbeat to the table every 5 s, so after a whole-cluster cold restart the new
                // silos soon see the old entries as stale and skip them instead of waiting on them to join.
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(2);
                    o.NumMissedProbesLimit = 2;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                    o.NumMissedTableIAmAliveLimit = 2;
                });
            }

            silo.AddRedisGrainStorage(CommandStorage.Name, o => o.ConfigurationOptions = StoreConnection.Options(store.ConnectionString));
            silo.UseRedisReminderService(o => o.ConfigurationOptions = StoreConnection.Options(store.ConnectionString));
            silo.Services.TryAddSingleton(TimeProvider.System);
            silo.AddActivityPropagation();

            // State is stored in the Orleans binary format: the state classes' [Id]s keep it version-tolerant,
            // and it costs a fraction of the default JSON serializer per write.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.AddStartupTask(static (services, cancellationToken) =>
            {
                var topology = services.GetRequiredService<TopologyDocument>();
                var directory = services.GetRequiredService<IGrainFactory>().GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Command.Topology");
                return StartupRetry.RunAsync("load the topology", async () =>
                {
                    var result = await directory.LoadTopologyAsync(topology);
                    logger.LogInformation(
                        "Topology loaded: {Regions} regions, {Venues} venues and {Feeds} feeds added, {Updated} venues updated",
                        result.RegionsAdded, result.VenuesAdded, result.FeedsAdded, result.VenuesUpdated);
                }, logger, cancellationToken);
            });
            silo.AddStartupTask((services, cancellationToken) =>
            {
                var grain = services.GetRequiredService<IGrainFactory>().GetGrain<IUplinksGrain>(IUplinksGrain.DefaultKey);
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Command.Cascade");
                return StartupRetry.RunAsync("load the configured uplinks", async () =>
                {
                    var changed = await grain.ConfigureAsync(uplinks);
                    logger.LogInformation("Cascade: {Count} configured uplinks, {Changed} changed", uplinks.Length, changed);
                }, logger, cancellationToken);
            });
        });
    }
}
