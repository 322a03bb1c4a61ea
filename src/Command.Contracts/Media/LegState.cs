namespace Command.Contracts.Media;

/// <summary>Where a venue's media leg on the bridge stands.</summary>
[GenerateSerializer, Alias("command.leg-state")]
public enum LegState
{
    /// <summary>The bridge is calling the venue's terminal.</summary>
    Calling,

    /// <summary>Media flows both ways.</summary>
    Connected,

    /// <summary>The venue has no registered terminal, or the call was refused or unanswered.</summary>
    Failed,

    /// <summary>The call was up and was lost: the terminal hung up or its media stopped.</summary>
    Dropped,

    /// <summary>The bridge hung up because the venue left the session or the session ended.</summary>
    Ended,
}
