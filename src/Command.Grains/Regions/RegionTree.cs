using System.Collections.Immutable;
using Command.Contracts.Regions;

namespace Command.Grains.Regions;

/// <summary>Walks the parent links of a flat region list.</summary>
internal static class RegionTree
{
    public static ImmutableArray<RegionNode> Build(IReadOnlyCollection<RegionInfo> regions)
    {
        var children = regions.Where(r => r.ParentCode is not null)
            .ToLookup(r => r.ParentCode!, StringComparer.Ordinal);
        var codes = regions.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);

        RegionNode Node(RegionInfo r) => new(
            r.Code, r.Name, r.Level, r.CommandVenueId,
            [.. children[r.Code].OrderBy(c => c.Code, StringComparer.Ordinal).Select(Node)]);

        return [.. regions
            .Where(r => r.ParentCode is null || !codes.Contains(r.ParentCode))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(Node)];
    }

    /// <summary>The region and all regions below it.</summary>
    public static HashSet<string> Subtree(IReadOnlyCollection<RegionInfo> regions, string code)
    {
        var result = new HashSet<string>(StringComparer.Ordinal) { code };
        var added = true;
        while (added)
        {
            added = false;
            foreach (var r in regions)
            {
                if (r.ParentCode is not null && result.Contains(r.ParentCode) && result.Add(r.Code))
                {
                    added = true;
                }
            }
        }

        return result;
    }

    /// <summary>The region itself, then its parent, up to the root.</summary>
    public static IEnumerable<RegionInfo> SelfAndAncestors(IReadOnlyCollection<RegionInfo> regions, string code)
    {
        var byCode = regions.ToDictionary(r => r.Code, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = byCode.GetValueOrDefault(code);
             current is not null && seen.Add(current.Code);
             current = current.ParentCode is null ? null : byCode.GetValueOrDefault(current.ParentCode))
        {
            yield return current;
        }
    }
}
