namespace Command.Contracts.Feeds;

/// <summary>One camera feed, keyed by feed id.</summary>
public interface IFeedGrain : IGrainWithStringKey
{
    Task DefineAsync(FeedInfo feed);

    /// <summary>The feed, or null when none has this id.</summary>
    [AlwaysInterleave]
    Task<FeedInfo?> GetAsync();
}
