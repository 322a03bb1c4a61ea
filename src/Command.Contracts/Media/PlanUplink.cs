using System.Collections.Immutable;
using Command.Contracts.Sessions;

namespace Command.Contracts.Media;

/// <summary>
/// The cascade uplink of a relay session as the bridge carries it: the upper session's call joins the
/// conference as the member <see cref="UplinkId"/>, heard unless <see cref="Muted"/>, and is sent the
/// session's broadcast picture (a venue, or a camera feed when <see cref="VideoSourceFeedId"/> is set)
/// with the mix of the unmuted venues. <see cref="Roster"/> is what the bridge reports up the call.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.plan-uplink")]
public sealed record PlanUplink(
    [property: Id(0)] string UplinkId,
    [property: Id(1)] bool Muted,
    [property: Id(2)] string? VideoSourceVenueId,
    [property: Id(3)] string? VideoSourceFeedId)
{
    /// <summary>The relay session's venues with their names and participant status, and which one is sent up at the session above's request.</summary>
    [Id(4)]
    public ImmutableArray<RemoteVenue> Roster { get; init; } = [];
}
