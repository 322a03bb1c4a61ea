using Command.Contracts.Regions;
using Command.Contracts.Venues;

namespace Command.Grains.Regions;

[GenerateSerializer]
public sealed class DirectoryState
{
    [Id(0)] public string SipDomain { get; set; } = "";

    [Id(1)] public List<RegionInfo> Regions { get; set; } = [];

    [Id(2)] public List<VenueDefinition> Venues { get; set; } = [];

    [Id(3)] public List<string> FeedIds { get; set; } = [];
}
