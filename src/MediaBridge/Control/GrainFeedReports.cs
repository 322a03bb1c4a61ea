using Command.Contracts.Feeds;
using MediaBridge.Legs.Feeds;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Carries each ingested camera's status and stream figures to its feed grain, naming this bridge,
/// one at a time and in order, off the media and planning threads.
/// </summary>
public sealed partial class GrainFeedReports(IGrainFactory grains, ILogger<GrainFeedReports> logger) : IFeedReports
{
    private readonly GrainReportQueue<FeedMediaReport> queue = new("feed", (id, report) => grains.GetGrain<IFeedGrain>(id).ReportMediaAsync(report), logger);

    /// <summary>This bridge's name in the cluster, set before feeds are ingested.</summary>
    public string BridgeId { get; set; } = "";

    public void Report(string feedId, FeedMediaReport report)
    {
        LogFeed(feedId, report.Status, report.Codec ?? "", report.Width ?? 0, report.Height ?? 0, report.Fps ?? 0, report.BitrateKbps ?? 0, report.Error ?? "");
        queue.Enqueue(feedId, report with { BridgeId = BridgeId });
    }

    /// <summary>Delivers queued reports until stopped; a failed delivery is logged and the next one goes on.</summary>
    public Task RunAsync(CancellationToken cancel) => queue.RunAsync(cancel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {FeedId} {Status} {Codec} {Width}x{Height} {Fps} fps {Kbps} kb/s {Error}")]
    private partial void LogFeed(string feedId, FeedStatus status, string codec, int width, int height, double fps, double kbps, string error);
}
