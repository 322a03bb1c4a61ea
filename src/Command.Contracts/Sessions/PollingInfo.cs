using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>
/// Polling (轮询): the broadcast rotates through these sources every interval. <see cref="VenueIds"/> are the
/// venues among them; <see cref="Sources"/> is the whole rotation in order, feeds included.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.polling")]
public sealed record PollingInfo(
    [property: Id(0)] ImmutableArray<string> VenueIds,
    [property: Id(1)] int IntervalSeconds,
    [property: Id(2)] DateTimeOffset StartedAt)
{
    [Id(3)]
    public ImmutableArray<string> FeedIds { get; init; } = [];

    [Id(4)]
    public ImmutableArray<SourceRef> Sources { get; init; } = [];
}
