using System.Collections.Immutable;

namespace Command.Contracts.Media;

/// <summary>
/// A session's media moved to another bridge (or, with no <see cref="ToBridge"/>, waits for one).
/// Browsers whose legs were on the old bridge rejoin on seeing it. <see cref="Seq"/> is the move's
/// time in milliseconds, so later moves of a session carry higher numbers.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.bridge-move")]
public sealed record BridgeMove(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string? FromBridge,
    [property: Id(2)] string? ToBridge,
    [property: Id(3)] string Reason,
    [property: Id(4)] long Seq,
    [property: Id(5)] ImmutableArray<string> VenueIds);
