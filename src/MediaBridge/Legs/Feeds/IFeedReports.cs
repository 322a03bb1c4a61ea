using Command.Contracts.Feeds;

namespace MediaBridge.Legs.Feeds;

/// <summary>Where the feed legs report each camera they ingest (the control layer passes it on to the feed, naming this bridge).</summary>
public interface IFeedReports
{
    void Report(string feedId, FeedMediaReport report);
}
