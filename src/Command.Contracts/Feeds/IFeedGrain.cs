using Command.Contracts.Media;

namespace Command.Contracts.Feeds;

/// <summary>One camera feed, keyed by feed id.</summary>
public interface IFeedGrain : IGrainWithStringKey
{
    Task DefineAsync(FeedInfo feed);

    /// <summary>Defines the feed with the credentials its camera asks for; only their ciphertext is stored.</summary>
    Task DefineAsync(FeedInfo feed, FeedCredentials? credentials);

    /// <summary>The feed, or null when none has this id.</summary>
    [AlwaysInterleave]
    Task<FeedInfo?> GetAsync();

    /// <summary>The feed with its status and whether it has credentials, or null when none has this id.</summary>
    [AlwaysInterleave]
    Task<FeedView?> GetViewAsync();

    /// <summary>The feed as a bridge must ingest it, credentials decrypted; null when none has this id.</summary>
    [AlwaysInterleave]
    Task<PlanFeed?> GetPlanFeedAsync();

    /// <summary>A bridge's report on the camera's stream; kept in memory with its lease, never stored.</summary>
    Task ReportMediaAsync(FeedMediaReport report);

    /// <summary>The newest unexpired report of any bridge, or null while no bridge ingests the feed.</summary>
    [AlwaysInterleave]
    Task<FeedMediaReport?> GetMediaAsync();
}
