using Command.Contracts.Recordings;

namespace Command.Grains.Recordings;

/// <summary>
/// Each recording's chapters, append-only and kept outside grain state (as timelines are), so a floor change in a
/// session recorded for hours costs one append however many chapters came before it. Only the recording's grain writes its list.
/// </summary>
public interface IRecordingChapterStore
{
    Task AppendAsync(string recordingId, IReadOnlyList<RecordingChapter> chapters);

    /// <summary>The recording's chapters in the order they were appended; none for an unknown recording.</summary>
    Task<IReadOnlyList<RecordingChapter>> ReadAsync(string recordingId);

    Task DeleteAsync(string recordingId);
}
