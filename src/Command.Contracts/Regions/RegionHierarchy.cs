using System.Collections.Immutable;

namespace Command.Contracts.Regions;

/// <summary>
/// The region hierarchy indexed by code, for the questions every layer asks: what is above a
/// region, what lies below it, and the tree as served by <c>GET /api/regions</c>.
/// </summary>
public sealed class RegionHierarchy
{
    private readonly Dictionary<string, RegionInfo> byCode;
    private readonly ILookup<string, RegionInfo> children;

    public RegionHierarchy(IEnumerable<RegionInfo> regions)
    {
        byCode = regions.ToDictionary(r => r.Code, StringComparer.Ordinal);
        children = byCode.Values.Where(r => r.ParentCode is not null).ToLookup(r => r.ParentCode!, StringComparer.Ordinal);
        Root = byCode.Values.FirstOrDefault(r => r.ParentCode is null)?.Code ?? "";
    }

    public string Root { get; }

    public bool Contains(string code) => byCode.ContainsKey(code);

    /// <summary>The region itself, then its parent, up to the root.</summary>
    public IEnumerable<RegionInfo> SelfAndAncestors(string code)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var r = byCode.GetValueOrDefault(code); r is not null && seen.Add(r.Code);
             r = r.ParentCode is null ? null : byCode.GetValueOrDefault(r.ParentCode))
        {
            yield return r;
        }
    }

    /// <summary>Whether <paramref name="code"/> lies in the subtree of <paramref name="root"/>.</summary>
    public bool IsWithin(string code, string root) => SelfAndAncestors(code).Any(r => r.Code == root);

    /// <summary>The region and every region below it.</summary>
    public HashSet<string> Subtree(string code)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([code]);
        while (pending.TryPop(out var next))
        {
            if (result.Add(next))
            {
                foreach (var child in children[next])
                {
                    pending.Push(child.Code);
                }
            }
        }

        return result;
    }

    /// <summary>The roots (regions whose parent is not listed), each with its subtree, children by code.</summary>
    public ImmutableArray<RegionNode> Tree()
    {
        RegionNode Node(RegionInfo r) => new(
            r.Code, r.Name, r.Level, r.CommandVenueId,
            [.. children[r.Code].OrderBy(c => c.Code, StringComparer.Ordinal).Select(Node)]);

        return [.. byCode.Values
            .Where(r => r.ParentCode is null || !byCode.ContainsKey(r.ParentCode))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .Select(Node)];
    }
}
