namespace Command.Contracts.Feeds;

/// <summary>One camera feed, keyed by feed id.</summary>
public interface IFeedGrain : IGrainWithStringKey
{
    Task DefineAsync(FeedInfo feed);

    /// <summary>The feed, or null when none has this id.</summary>
    [AlwaysInterleave]
    Task<FeedInfo?> GetAsync();

    /// <summary>A bridge's report on the camera's stream; kept in memory with its lease, never stored.</summary>
    Task ReportMediaAsync(FeedMediaReport report);

    /// <summary>The newest unexpired report of any bridge, or null while no bridge ingests the feed.</summary>
    [AlwaysInterleave]
    Task<FeedMediaReport?> GetMediaAsync();
}
