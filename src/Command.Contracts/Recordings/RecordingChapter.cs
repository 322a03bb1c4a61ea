namespace Command.Contracts.Recordings;

/// <summary>
/// A floor change while a recording ran (a broadcast, a roll call, a polling step): what went on screen,
/// when, and how far into the recording.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.recording-chapter")]
public sealed record RecordingChapter(
    [property: Id(0)] double OffsetSeconds,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Action,
    [property: Id(3)] string? VenueId,
    [property: Id(4)] string? FeedId,
    [property: Id(5)] string Actor);
