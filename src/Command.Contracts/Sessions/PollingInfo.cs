using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>Polling (轮询): the broadcast rotates through these venues every interval.</summary>
[GenerateSerializer, Immutable, Alias("command.polling")]
public sealed record PollingInfo(
    [property: Id(0)] ImmutableArray<string> VenueIds,
    [property: Id(1)] int IntervalSeconds,
    [property: Id(2)] DateTimeOffset StartedAt);
