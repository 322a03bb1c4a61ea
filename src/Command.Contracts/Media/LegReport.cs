namespace Command.Contracts.Media;

/// <summary>A change in one venue's leg, reported by the bridge carrying the session.</summary>
[GenerateSerializer, Immutable, Alias("command.leg-report")]
public sealed record LegReport(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string VenueId,
    [property: Id(2)] LegState State,
    [property: Id(3)] string? Reason,
    [property: Id(4)] DateTimeOffset At);
