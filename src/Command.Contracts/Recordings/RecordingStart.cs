namespace Command.Contracts.Recordings;

/// <summary>What a session tells a recording it starts: whose it is and what is on screen at the start.</summary>
[GenerateSerializer, Immutable, Alias("command.recording-start")]
public sealed record RecordingStart(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string? IncidentId,
    [property: Id(2)] string Title,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] RecordingChapter FirstChapter);
