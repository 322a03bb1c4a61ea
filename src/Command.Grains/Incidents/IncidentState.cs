using Command.Contracts.Incidents;
using Command.Contracts.Regions;

namespace Command.Grains.Incidents;

[GenerateSerializer]
public sealed class IncidentState
{
    [Id(0)] public bool Created { get; set; }

    [Id(1)] public string Title { get; set; } = "";

    [Id(2)] public string Type { get; set; } = "";

    [Id(3)] public int Severity { get; set; }

    [Id(4)] public string RegionCode { get; set; } = "";

    [Id(5)] public RegionLevel CommandLevel { get; set; }

    [Id(6)] public string CommandRegionCode { get; set; } = "";

    [Id(7)] public string? CommandVenueId { get; set; }

    [Id(8)] public IncidentStatus Status { get; set; }

    [Id(9)] public DateTimeOffset ReportedAt { get; set; }

    [Id(10)] public List<string> SessionIds { get; set; } = [];

    [Id(11)] public List<string> FeedIds { get; set; } = [];

    [Id(13)] public long Version { get; set; }

    [Id(14)] public string? Description { get; set; }
}
