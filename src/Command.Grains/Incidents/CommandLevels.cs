using Command.Contracts.Regions;

namespace Command.Grains.Incidents;

/// <summary>
/// Which level commands an incident (分级负责): severity I and II the province, III the city,
/// IV the district; never below the level of the incident's own region.
/// </summary>
public static class CommandLevels
{
    public static RegionLevel ForSeverity(int severity) => severity switch
    {
        1 or 2 => RegionLevel.Province,
        3 => RegionLevel.City,
        _ => RegionLevel.District,
    };

    /// <summary>The region that commands: the incident region's ancestor at the commanding level.</summary>
    public static RegionInfo CommandRegion(IReadOnlyCollection<RegionInfo> regions, string regionCode, int severity)
    {
        var level = ForSeverity(severity);
        var chain = new RegionHierarchy(regions).SelfAndAncestors(regionCode).ToList();
        return chain.FirstOrDefault(r => r.Level <= level) ?? chain[^1];
    }

    public static string Roman(int severity) => severity switch
    {
        1 => "I",
        2 => "II",
        3 => "III",
        4 => "IV",
        _ => severity.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
