using System.Collections.Immutable;
using Command.Contracts.Regions;

namespace Command.Web.Regions;

/// <summary>An immutable view of the hierarchy for fast scope questions: which regions contain what.</summary>
public sealed class RegionIndex
{
    private readonly Dictionary<string, RegionInfo> regions;
    private readonly ImmutableDictionary<string, string> venueRegions;

    public RegionIndex(IEnumerable<RegionInfo> regions, ImmutableDictionary<string, string> venueRegions)
    {
        this.regions = regions.ToDictionary(r => r.Code, StringComparer.Ordinal);
        this.venueRegions = venueRegions;
        Root = this.regions.Values.FirstOrDefault(r => r.ParentCode is null)?.Code ?? "";
    }

    public string Root { get; }

    public bool Contains(string code) => regions.ContainsKey(code);

    public string? RegionOfVenue(string venueId) => venueRegions.GetValueOrDefault(venueId);

    /// <summary>The region and every region above it.</summary>
    public IEnumerable<string> SelfAndAncestors(string code)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var r = regions.GetValueOrDefault(code); r is not null && seen.Add(r.Code);
             r = r.ParentCode is null ? null : regions.GetValueOrDefault(r.ParentCode))
        {
            yield return r.Code;
        }
    }

    /// <summary>Whether <paramref name="code"/> lies in the subtree of <paramref name="root"/>.</summary>
    public bool IsWithin(string code, string root) => SelfAndAncestors(code).Contains(root, StringComparer.Ordinal);

    /// <summary>The regions whose subtrees hold any of these venues: each venue's region and its ancestors.</summary>
    public HashSet<string> ScopeOfVenues(IEnumerable<string> venueIds)
    {
        var scope = new HashSet<string>(StringComparer.Ordinal);
        foreach (var venue in venueIds)
        {
            if (RegionOfVenue(venue) is { } region)
            {
                scope.UnionWith(SelfAndAncestors(region));
            }
        }

        return scope;
    }
}
