using System.Collections.Immutable;
using Command.Contracts.Media;

namespace Command.Contracts.Sessions;

/// <summary>
/// One venue's place in a session, as served in <c>GET /api/sessions/{id}</c>, with its media leg while the session is live.
/// A replaced venue names its backup; <see cref="ReturnedAt"/> says its leg came back while the backup still stands in,
/// which the chair settles by re-adding the venue or removing the backup.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.participant")]
public sealed record Participant(
    [property: Id(0)] string VenueId,
    [property: Id(1)] ParticipantStatus Status,
    [property: Id(2)] bool Muted,
    [property: Id(3)] string? ViewingVenueId,
    [property: Id(4)] bool CheckedIn,
    [property: Id(5)] string? Note,
    [property: Id(6)] LegStats? Media = null,
    [property: Id(7)] string? ReplacedBy = null,
    [property: Id(8)] bool AutoReplaced = false,
    [property: Id(9)] DateTimeOffset? ReturnedAt = null)
{
    /// <summary>The camera feed this venue receives, when it views a feed rather than a venue.</summary>
    [Id(10)]
    public string? ViewingFeedId { get; init; }

    /// <summary>The uplink this venue receives, when it views the upper session's picture.</summary>
    [Id(11)]
    public string? ViewingUplinkId { get; init; }

    /// <summary>For a deployment below joined as this venue: which of its venues it is asked to send up (级联点名).</summary>
    [Id(12)]
    public string? RemoteVenueId { get; init; }

    /// <summary>
    /// For a deployment below joined as this venue: its venues as it last reported them over the link, while its call
    /// is up; null for other venues, and cleared when the call ends.
    /// </summary>
    [Id(13)]
    public ImmutableArray<RemoteVenue>? RemoteVenues { get; init; }
}
