using System.Collections.Immutable;

namespace Command.Contracts.Schedules;

/// <summary>A booking and the sessions its occurrences have opened so far.</summary>
[GenerateSerializer, Immutable, Alias("command.booking")]
public sealed record BookingSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] BookingRequest Request,
    [property: Id(2)] string CreatedBy,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] bool Cancelled,
    [property: Id(5)] ImmutableArray<string> SessionIds,
    [property: Id(6)] DateTimeOffset? NextOccurrence,
    [property: Id(7)] long Version);
