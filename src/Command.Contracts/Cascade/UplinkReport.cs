namespace Command.Contracts.Cascade;

/// <summary>
/// The holding bridge's word on one uplink. Bridges repeat it while they hold the uplink; a report not
/// repeated within <see cref="Lease"/>, or one from a bridge that no longer holds the uplink, counts for nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.uplink-report")]
public sealed record UplinkReport(
    [property: Id(0)] string BridgeId,
    [property: Id(1)] string UplinkId,
    [property: Id(2)] UplinkStatus Status,
    [property: Id(3)] string? Reason,
    [property: Id(4)] string? SessionId,
    [property: Id(5)] TimeSpan Lease);
