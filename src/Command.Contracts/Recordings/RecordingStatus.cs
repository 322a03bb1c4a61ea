namespace Command.Contracts.Recordings;

[GenerateSerializer, Alias("command.recording-status")]
public enum RecordingStatus
{
    /// <summary>The session is live and its recording runs.</summary>
    Recording,

    /// <summary>Stopped by the bridge (too little disk space); it resumes by itself once space returns.</summary>
    Paused,

    /// <summary>The session ended or its recording was turned off; nothing more is added.</summary>
    Ended,

    /// <summary>Past its retention period: only ever pushed, to tell pages to drop it; the API no longer finds it.</summary>
    Expired,
}
