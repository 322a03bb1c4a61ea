using Command.Contracts.Recordings;

namespace Command.Grains.Recordings;

[GenerateSerializer]
public sealed class RecordingState
{
    [Id(0)] public bool Created { get; set; }

    [Id(1)] public string SessionId { get; set; } = "";

    [Id(2)] public string? IncidentId { get; set; }

    [Id(3)] public string Title { get; set; } = "";

    [Id(4)] public DateTimeOffset StartedAt { get; set; }

    [Id(5)] public DateTimeOffset? EndedAt { get; set; }

    [Id(6)] public RecordingStatus Status { get; set; }

    [Id(7)] public string? Alarm { get; set; }

    /// <summary>Each part's media length in seconds as the bridge last reported it, by part folder name.</summary>
    [Id(8)] public Dictionary<string, double> Parts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The chapters as kept before they had a list of their own (<see cref="IRecordingChapterStore"/>): moved there when
    /// the recording is next activated, and empty from then on. Kept so that state written then still reads.
    /// </summary>
    [Id(9)] public List<RecordingChapter> Chapters { get; set; } = [];

    [Id(10)] public long Version { get; set; }

    [Id(11)] public bool Public { get; set; }

    /// <summary>When each part started, as its bridge reported, by part folder name: where a chapter falls in the media.</summary>
    [Id(12)] public Dictionary<string, DateTimeOffset> PartStarts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Past the retention period: not found any more, its files deleted by whoever holds them.</summary>
    [Id(13)] public bool Expired { get; set; }

    [Id(14)] public DateTimeOffset? ExpiredAt { get; set; }

    /// <summary>Whether the retention list has this recording, with <see cref="TrackedEndedAt"/> as its end.</summary>
    [Id(15)] public bool Tracked { get; set; }

    [Id(16)] public DateTimeOffset? TrackedEndedAt { get; set; }
}
