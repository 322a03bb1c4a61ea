namespace Command.Contracts.Recordings;

/// <summary>A bridge's word on one recording it writes: a part that started, grew or ended, or the disk floor.</summary>
[GenerateSerializer, Immutable, Alias("command.recording-report")]
public sealed record RecordingReport(
    [property: Id(0)] string BridgeId,
    [property: Id(1)] RecordingReportKind Kind,
    [property: Id(2)] string Part,
    [property: Id(3)] double PartSeconds,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string? Detail);
