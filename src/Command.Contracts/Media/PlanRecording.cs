namespace Command.Contracts.Media;

/// <summary>
/// A live session's recording as the bridge carries it: the recording's id (its files live under that
/// name), whether it runs, and the session's broadcast source, which the recorder watches: a venue, or a
/// camera feed when <see cref="VideoSourceFeedId"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.plan-recording")]
public sealed record PlanRecording(
    [property: Id(0)] string RecordingId,
    [property: Id(1)] bool On,
    [property: Id(2)] string? VideoSourceVenueId,
    [property: Id(3)] string? VideoSourceFeedId);
