using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)] public bool Created { get; set; }

    [Id(1)] public string Title { get; set; } = "";

    [Id(2)] public SessionKind Kind { get; set; }

    [Id(3)] public SessionPhase Phase { get; set; }

    [Id(4)] public string ChairVenueId { get; set; } = "";

    [Id(5)] public string? BroadcastVenueId { get; set; }

    [Id(6)] public string? SpeakerVenueId { get; set; }

    [Id(7)] public bool Locked { get; set; }

    [Id(8)] public bool Public { get; set; }

    [Id(9)] public string? IncidentId { get; set; }

    [Id(10)] public string? ScheduleId { get; set; }

    [Id(11)] public DateTimeOffset? ScheduledStart { get; set; }

    [Id(12)] public DateTimeOffset? ScheduledEnd { get; set; }

    [Id(13)] public DateTimeOffset? CheckInOpensAt { get; set; }

    [Id(14)] public bool CheckInOpen { get; set; }

    [Id(15)] public DateTimeOffset? StartedAt { get; set; }

    [Id(16)] public DateTimeOffset? EndedAt { get; set; }

    [Id(17)] public string? EndReason { get; set; }

    [Id(18)] public List<string>? PollVenueIds { get; set; }

    [Id(19)] public int PollIntervalSeconds { get; set; }

    [Id(20)] public DateTimeOffset PollStartedAt { get; set; }

    [Id(21)] public List<string> FeedIds { get; set; } = [];

    [Id(22)] public List<ParticipantState> Participants { get; set; } = [];

    [Id(23)] public long Version { get; set; }

    [Id(24)] public bool AutoBackupEnabled { get; set; }

    [Id(25)] public int AutoBackupAfterSeconds { get; set; } = AutoBackup.DefaultAfterSeconds;

    [Id(26)] public List<LegDownState> DownLegs { get; set; } = [];

    /// <summary>The attached feed every venue sees; set only while no venue is broadcast.</summary>
    [Id(27)] public string? BroadcastFeedId { get; set; }

    /// <summary>
    /// The polling rotation in order, feeds included; null with <see cref="PollVenueIds"/> set is a rotation of
    /// those venues (as stored before feeds could be polled). <see cref="PollVenueIds"/> is set whenever polling runs.
    /// </summary>
    [Id(28)] public List<SourceRef>? PollSources { get; set; }

    /// <summary>Whether the session is recorded while live (emergencies by default).</summary>
    [Id(29)] public bool Record { get; set; }

    /// <summary>The recording running now, while the session is live and recorded.</summary>
    [Id(30)] public string? RecordingId { get; set; }

    /// <summary>Every recording of this session, oldest first.</summary>
    [Id(31)] public List<string> RecordingIds { get; set; } = [];

    /// <summary>The publicity gate; a session stored before the gate with <see cref="Public"/> set reads as requested.</summary>
    [Id(32)] public Publicity Publicity { get; set; }

    /// <summary>The cascade uplink this relay session relays, once the deployment above has called on it.</summary>
    [Id(33)] public string? UplinkId { get; set; }

    /// <summary>Whether the upper session's call on <see cref="UplinkId"/> is connected now; its picture is routed only then.</summary>
    [Id(34)] public bool UplinkConnected { get; set; }

    /// <summary>The uplink every venue sees; set only while no venue or feed is broadcast.</summary>
    [Id(35)] public string? BroadcastUplinkId { get; set; }

    /// <summary>The joined venue sent up the uplink at the session above's request, instead of the broadcast.</summary>
    [Id(36)] public string? UplinkVenueId { get; set; }
}
