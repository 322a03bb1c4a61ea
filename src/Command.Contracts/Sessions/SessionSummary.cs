using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>A line in the session list; <see cref="VenueIds"/> (chair first) lets a reader scope it without loading the session.</summary>
[GenerateSerializer, Immutable, Alias("command.session-summary")]
public sealed record SessionSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] SessionKind Kind,
    [property: Id(3)] SessionPhase State,
    [property: Id(4)] string ChairVenueId,
    [property: Id(5)] DateTimeOffset? ScheduledStart,
    [property: Id(6)] bool Public,
    [property: Id(7)] ImmutableArray<string> VenueIds);
