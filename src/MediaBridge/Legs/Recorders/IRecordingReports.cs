using Command.Contracts.Recordings;

namespace MediaBridge.Legs.Recorders;

/// <summary>Where the recorders report their parts and the disk floor (the control layer passes it on to the recording, naming this bridge).</summary>
public interface IRecordingReports
{
    void Report(string recordingId, RecordingReport report);

    /// <summary>The disk-floor alarm raised (its text) or cleared (null), for the bridge's health.</summary>
    void DiskAlarm(string? alarm);
}
