namespace Command.Contracts.Sessions;

/// <summary>Where a venue stands in one session.</summary>
[GenerateSerializer, Alias("command.participant-status")]
public enum ParticipantStatus
{
    /// <summary>Named in a session that has not started yet.</summary>
    Invited,

    /// <summary>Held by this live session.</summary>
    Joined,

    /// <summary>Live elsewhere when an automatic start ran; see the participant note.</summary>
    Busy,

    /// <summary>Taken away by an emergency session; see the participant note.</summary>
    Preempted,

    /// <summary>Failed and replaced by a backup venue.</summary>
    Replaced,

    /// <summary>The session ended or the venue was removed.</summary>
    Left,
}
