using System.Collections.Immutable;

namespace Command.Contracts.Recordings;

/// <summary>
/// One recording of a session (<c>GET /api/recordings/{id}</c>): one stretch of the session while recording
/// was on, however many parts its files are in. <see cref="DurationSeconds"/> is the media recorded so far,
/// <see cref="Hls"/> the playlist of all of it; <see cref="Alarm"/> says why it is paused, when it is.
/// <see cref="ChapterCount"/> is how many chapters it has: a change pushed to pages carries only that count, with
/// <see cref="Chapters"/> empty, so a session recorded for hours does not send them all on every floor change.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.recording")]
public sealed record RecordingInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string? IncidentId,
    [property: Id(3)] string Title,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? EndedAt,
    [property: Id(6)] double DurationSeconds,
    [property: Id(7)] bool Public,
    [property: Id(8)] string Hls,
    [property: Id(9)] RecordingStatus Status,
    [property: Id(10)] string? Alarm,
    [property: Id(11)] int Parts,
    [property: Id(12)] ImmutableArray<RecordingChapter> Chapters,
    [property: Id(13)] long Version,
    [property: Id(14)] int ChapterCount)
{
    /// <summary>Where a recording's playlist is served.</summary>
    public static string HlsPath(string recordingId) => $"/api/recordings/{recordingId}/hls/index.m3u8";
}
