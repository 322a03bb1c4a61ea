using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Contracts.Venues;

namespace Command.Contracts.Topology;

/// <summary>A validated topology file: regions, venues and camera feeds.</summary>
[GenerateSerializer, Immutable, Alias("command.topology")]
public sealed record TopologyDocument(
    [property: Id(0)] string SipDomain,
    [property: Id(1)] ImmutableArray<RegionInfo> Regions,
    [property: Id(2)] ImmutableArray<VenueDefinition> Venues,
    [property: Id(3)] ImmutableArray<FeedInfo> Feeds);
