using System.Collections.Immutable;

namespace Command.Contracts.Cascade;

/// <summary>
/// An uplink as <c>GET /api/cascade/uplinks</c> serves it (BRIEF §4: id, name, registrar, status, sessionId),
/// with the SIP user it registers as, why it is offline, the bridge that holds it and whether configuration
/// defines it. Never its password.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.uplink-view")]
public sealed record UplinkView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Registrar,
    [property: Id(3)] UplinkStatus Status,
    [property: Id(4)] string? SessionId,
    [property: Id(5)] string Username,
    [property: Id(6)] string? Reason,
    [property: Id(7)] string? BridgeId,
    [property: Id(8)] bool Configured,
    [property: Id(9)] long Version)
{
    /// <summary>The venues of the relay session opened when the deployment above calls, the first chairing it.</summary>
    [Id(10)]
    public ImmutableArray<string> VenueIds { get; init; } = [];
}
