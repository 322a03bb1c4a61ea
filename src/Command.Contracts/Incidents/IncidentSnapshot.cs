using System.Collections.Immutable;
using Command.Contracts.Regions;
using Command.Contracts.Timeline;

namespace Command.Contracts.Incidents;

/// <summary>
/// An incident with its commanding level and its timeline, which merges the incident's
/// own entries with those of its linked sessions, oldest first.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.incident")]
public sealed record IncidentSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string Type,
    [property: Id(3)] int Severity,
    [property: Id(4)] string RegionCode,
    [property: Id(5)] RegionLevel CommandLevel,
    [property: Id(6)] string CommandRegionCode,
    [property: Id(7)] string? CommandVenueId,
    [property: Id(8)] IncidentStatus Status,
    [property: Id(9)] DateTimeOffset ReportedAt,
    [property: Id(10)] ImmutableArray<string> SessionIds,
    [property: Id(11)] ImmutableArray<string> FeedIds,
    [property: Id(12)] ImmutableArray<TimelineEntry> Timeline,
    [property: Id(13)] long Version)
{
    [Id(14)]
    public string? Description { get; init; }
}
