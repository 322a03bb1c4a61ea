using System.Collections.Immutable;

namespace Command.Contracts.Regions;

/// <summary>A region with its children, as served by <c>GET /api/regions</c>.</summary>
[GenerateSerializer, Immutable, Alias("command.region-node")]
public sealed record RegionNode(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] RegionLevel Level,
    [property: Id(3)] string? CommandVenueId,
    [property: Id(4)] ImmutableArray<RegionNode> Children);
