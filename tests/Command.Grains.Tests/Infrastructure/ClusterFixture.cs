using Command.Contracts.Recordings;
using Command.Grains;
using Command.Grains.Audit;
using Command.Grains.Protection;
using Command.Grains.Recordings;
using Command.Grains.Timeline;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Command.Grains.Tests.Infrastructure;

/// <summary>One in-process silo shared by every grain test; tests isolate themselves with fresh keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>How often the recording retention sweep runs here; the period stays six months, so only recordings ended that long ago expire.</summary>
    public static readonly TimeSpan RecordingRetentionCheck = TimeSpan.FromSeconds(1);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public MemoryAuditStore AuditStore { get; } = new();

    public MemoryRecordingChapterStore ChapterStore { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(CommandStorage.Name);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IAuditStore>(AuditStore);
            silo.Services.AddSingleton<ITimelineStore>(new MemoryTimelineStore());
            silo.Services.AddSingleton<IRecordingChapterStore>(ChapterStore);
            silo.Services.AddClusterDataProtection();
            silo.Services.Configure<RecordingOptions>(o => o.RetentionCheckSeconds = RecordingRetentionCheck.TotalSeconds);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
