namespace Command.Contracts.Regions;

/// <summary>
/// An administrative division, keyed by its division code (e.g. 440604 for 禅城区). A region may name
/// its own backup venue (备用分会场), which stands in first for a failed venue of its subtree.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.region")]
public sealed record RegionInfo(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] RegionLevel Level,
    [property: Id(3)] string? ParentCode,
    [property: Id(4)] string? CommandVenueId,
    [property: Id(5)] string? BackupVenueId = null);
