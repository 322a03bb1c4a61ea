using System.Collections.Immutable;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;

namespace Command.Web.Regions;

/// <summary>The hierarchy plus each venue's region: what a web host needs to scope requests and pushes.</summary>
public sealed class RegionIndex(IEnumerable<RegionInfo> regions, ImmutableDictionary<string, string> venueRegions)
{
    public RegionHierarchy Hierarchy { get; } = new(regions);

    public string Root => Hierarchy.Root;

    public bool Contains(string code) => Hierarchy.Contains(code);

    public string? RegionOfVenue(string venueId) => venueRegions.GetValueOrDefault(venueId);

    /// <summary>The region code and every code above it.</summary>
    public IEnumerable<string> SelfAndAncestors(string code) => Hierarchy.SelfAndAncestors(code).Select(r => r.Code);

    /// <summary>Whether <paramref name="code"/> lies in the subtree of <paramref name="root"/>.</summary>
    public bool IsWithin(string code, string root) => Hierarchy.IsWithin(code, root);

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

    /// <summary>The regions a session touches: those of its chair and every venue named in it, with their ancestors.</summary>
    public HashSet<string> ScopeOf(SessionSnapshot session) =>
        ScopeOfVenues(session.Venues.Select(v => v.VenueId).Append(session.ChairVenueId));
}
