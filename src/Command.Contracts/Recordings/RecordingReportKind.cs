namespace Command.Contracts.Recordings;

[GenerateSerializer, Alias("command.recording-report-kind")]
public enum RecordingReportKind
{
    /// <summary>A recorder process started writing a new part.</summary>
    PartStarted,

    /// <summary>How much media the part holds now.</summary>
    Progress,

    /// <summary>The part's process ended (it is restarted in a new part while the recording runs).</summary>
    PartEnded,

    /// <summary>Free disk space fell below the floor: recording stopped.</summary>
    LowDisk,

    /// <summary>Disk space is back above the floor: recording resumes in a new part.</summary>
    SpaceBack,
}
