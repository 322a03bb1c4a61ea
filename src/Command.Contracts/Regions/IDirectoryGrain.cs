using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Topology;
using Command.Contracts.Venues;

namespace Command.Contracts.Regions;

/// <summary>
/// The network directory: regions, the venue index and the feed index. One activation,
/// keyed <see cref="DefaultKey"/>, so topology loads and feed registrations are serialized.
/// </summary>
public interface IDirectoryGrain : IGrainWithStringKey
{
    const string DefaultKey = "network";

    Task<TopologyLoadResult> LoadTopologyAsync(TopologyDocument document);

    [AlwaysInterleave]
    Task<ImmutableArray<RegionInfo>> GetRegionsAsync();

    [AlwaysInterleave]
    Task<ImmutableArray<RegionNode>> GetTreeAsync();

    /// <summary>Venue ids in the region's subtree, or all venues when <paramref name="regionCode"/> is null.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetVenueIdsAsync(string? regionCode);

    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetVenueIdsByKindAsync(VenueKind kind);

    /// <summary>Every venue with its SIP credentials, for the media bridge's registrar; never served over HTTP.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<VenueDefinition>> GetVenueDefinitionsAsync();

    /// <summary>Every venue's region code, by venue id.</summary>
    [AlwaysInterleave]
    Task<ImmutableDictionary<string, string>> GetVenueRegionsAsync();

    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetFeedIdsAsync();

    [AlwaysInterleave]
    Task<string> GetSipDomainAsync();

    Task<FeedInfo> AddFeedAsync(string name, string url, string owner, string regionCode, string actor, FeedCredentials? credentials = null);
}
