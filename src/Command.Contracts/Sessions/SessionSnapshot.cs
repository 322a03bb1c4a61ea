using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>
/// A session's complete floor state at one version. <see cref="Version"/> rises with every
/// change, so a client can drop an update older than the one it holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.session")]
public sealed record SessionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] SessionKind Kind,
    [property: Id(3)] SessionPhase State,
    [property: Id(4)] string ChairVenueId,
    [property: Id(5)] string? BroadcastVenueId,
    [property: Id(6)] string? SpeakerVenueId,
    [property: Id(7)] bool Locked,
    [property: Id(8)] bool Public,
    [property: Id(9)] string? IncidentId,
    [property: Id(10)] string? ScheduleId,
    [property: Id(11)] DateTimeOffset? ScheduledStart,
    [property: Id(12)] DateTimeOffset? ScheduledEnd,
    [property: Id(13)] DateTimeOffset? CheckInOpensAt,
    [property: Id(14)] bool CheckInOpen,
    [property: Id(15)] DateTimeOffset? StartedAt,
    [property: Id(16)] DateTimeOffset? EndedAt,
    [property: Id(17)] string? EndReason,
    [property: Id(18)] PollingInfo? Polling,
    [property: Id(19)] ImmutableArray<string> FeedIds,
    [property: Id(20)] ImmutableArray<Participant> Venues,
    [property: Id(21)] long Version,
    [property: Id(22)] AutoBackupSetting? AutoBackup = null)
{
    /// <summary>The camera feed every venue sees, when a feed rather than a venue is broadcast.</summary>
    [Id(23)]
    public string? BroadcastFeedId { get; init; }

    /// <summary>Whether the session is recorded while live.</summary>
    [Id(24)]
    public bool Record { get; init; }

    /// <summary>The recording running now, if any.</summary>
    [Id(25)]
    public string? RecordingId { get; init; }

    /// <summary>Where the session stands at the publicity gate; only <see cref="Publicity.Approved"/> is shown to the public.</summary>
    [Id(26)]
    public Publicity Publicity { get; init; }

    /// <summary>The cascade uplink a relay session relays from the deployment above, if it is bound to one.</summary>
    [Id(27)]
    public string? UplinkId { get; init; }

    /// <summary>Whether the upper session's call on <see cref="UplinkId"/> is connected, so its picture can be routed.</summary>
    [Id(28)]
    public bool UplinkConnected { get; init; }

    /// <summary>The uplink every venue sees, when the upper session's picture is broadcast.</summary>
    [Id(29)]
    public string? BroadcastUplinkId { get; init; }

    /// <summary>The venue sent up the uplink at the session above's request (级联点名), instead of the broadcast.</summary>
    [Id(30)]
    public string? UplinkVenueId { get; init; }
}
