using Command.Contracts.Recordings;
using MediaBridge.Legs.Recorders;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Carries the recorders' reports to their recording grains, naming this bridge, one at a time and in order,
/// off the planning thread; and keeps the disk-floor alarm for the bridge's health.
/// </summary>
public sealed partial class GrainRecordingReports(IGrainFactory grains, ILogger<GrainRecordingReports> logger) : IRecordingReports
{
    private readonly GrainReportQueue<RecordingReport> queue = new("recording", (id, report) => grains.GetGrain<IRecordingGrain>(id).ReportAsync(report), logger);

    /// <summary>This bridge's name in the cluster, set before anything is recorded.</summary>
    public string BridgeId { get; set; } = "";

    /// <summary>Why recording is stopped on this bridge, or null while it is not.</summary>
    public string? Alarm { get; private set; }

    public void Report(string recordingId, RecordingReport report)
    {
        LogReport(recordingId, report.Kind, report.Part, report.PartSeconds, report.Detail ?? "");
        queue.Enqueue(recordingId, report with { BridgeId = BridgeId });
    }

    public void DiskAlarm(string? alarm) => Alarm = alarm;

    /// <summary>Delivers queued reports until stopped; a failed delivery is logged and the next one goes on.</summary>
    public Task RunAsync(CancellationToken cancel) => queue.RunAsync(cancel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recording {RecordingId}: {Kind} {Part} {Seconds:0.0} s {Detail}")]
    private partial void LogReport(string recordingId, RecordingReportKind kind, string part, double seconds, string detail);
}
