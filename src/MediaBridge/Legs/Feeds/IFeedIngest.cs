using Command.Contracts.Feeds;

namespace MediaBridge.Legs.Feeds;

/// <summary>One camera being pulled or listened for, from creation until disposed; it retries on its own.</summary>
public interface IFeedIngest : IDisposable
{
    FeedStatus Status { get; }

    /// <summary>The status and what was measured since the last call.</summary>
    FeedMediaReport Measure(TimeSpan lease);
}
