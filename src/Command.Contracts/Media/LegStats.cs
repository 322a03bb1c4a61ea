namespace Command.Contracts.Media;

/// <summary>
/// One venue's leg as the bridge measures it: what arrives from the terminal (packets, loss and
/// interarrival jitter per RFC 3550 §6.4.1), what the bridge sends it, and what the terminal says
/// it received in its own receiver reports.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.leg-stats")]
public sealed record LegStats(
    [property: Id(0)] string VenueId,
    [property: Id(1)] LegState State,
    [property: Id(2)] string? AudioCodec,
    [property: Id(3)] string? VideoCodec,
    [property: Id(4)] long PacketsIn,
    [property: Id(5)] long PacketsOut,
    [property: Id(6)] long PacketsLost,
    [property: Id(7)] double JitterMs,
    [property: Id(8)] double KbpsIn,
    [property: Id(9)] double KbpsOut,
    [property: Id(10)] long? RemotePacketsLost,
    [property: Id(11)] double? RemoteJitterMs,
    [property: Id(12)] DateTimeOffset UpdatedAt);
