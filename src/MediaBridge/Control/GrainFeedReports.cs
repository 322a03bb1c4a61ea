using System.Threading.Channels;
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
    private readonly Channel<(string FeedId, FeedMediaReport Report)> queue = Channel.CreateBounded<(string, FeedMediaReport)>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>This bridge's name in the cluster, set before feeds are ingested.</summary>
    public string BridgeId { get; set; } = "";

    public void Report(string feedId, FeedMediaReport report)
    {
        LogFeed(feedId, report.Status, report.Codec ?? "", report.Width ?? 0, report.Height ?? 0, report.Fps ?? 0, report.BitrateKbps ?? 0, report.Error ?? "");
        queue.Writer.TryWrite((feedId, report with { BridgeId = BridgeId }));
    }

    /// <summary>Delivers queued reports until stopped; a failed delivery is logged and the next one goes on.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (var (feedId, report) in queue.Reader.ReadAllAsync(cancel))
            {
                try
                {
                    await grains.GetGrain<IFeedGrain>(feedId).ReportMediaAsync(report);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDeliveryFailed(e, feedId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {FeedId} {Status} {Codec} {Width}x{Height} {Fps} fps {Kbps} kb/s {Error}")]
    private partial void LogFeed(string feedId, FeedStatus status, string codec, int width, int height, double fps, double kbps, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A report on feed {FeedId} could not reach it")]
    private partial void LogDeliveryFailed(Exception e, string feedId);
}
