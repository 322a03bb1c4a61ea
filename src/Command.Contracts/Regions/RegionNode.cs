using System.Collections.Immutable;

namespace Command.Contracts.Regions;

/// <summary>A region with its children, as served by <c>GET /api/regions</c>.</summary>
[GenerateSerializer, Immutable, Alias("command.region-node")]
public sealed record RegionNode(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] RegionLevel Level,
    [property: Id(3)] string? CommandVenueId,
    [property: Id(4)] ImmutableArray<RegionNode> Children)
{
    /// <summary>This node or the descendant with the code, or null.</summary>
    public RegionNode? Find(string code)
    {
        if (Code == code)
        {
            return this;
        }

        foreach (var child in Children)
        {
            if (child.Find(code) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public static RegionNode? Find(IEnumerable<RegionNode> roots, string code) =>
        roots.Select(r => r.Find(code)).FirstOrDefault(n => n is not null);
}
