namespace Command.Contracts.Regions;

/// <summary>The four administrative levels of the command network, highest first.</summary>
[GenerateSerializer, Alias("command.region-level")]
public enum RegionLevel
{
    Province,
    City,
    District,
    Township,
}
