using System.Collections.Concurrent;
using Command.Contracts.Recordings;

namespace Command.Grains.Recordings;

/// <summary>A chapter store for tests; it keeps nothing across a restart.</summary>
public sealed class MemoryRecordingChapterStore : IRecordingChapterStore
{
    private readonly ConcurrentDictionary<string, List<RecordingChapter>> lists = new(StringComparer.Ordinal);

    public Task AppendAsync(string recordingId, IReadOnlyList<RecordingChapter> chapters)
    {
        var list = lists.GetOrAdd(recordingId, _ => []);
        lock (list)
        {
            list.AddRange(chapters);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecordingChapter>> ReadAsync(string recordingId)
    {
        if (!lists.TryGetValue(recordingId, out var list))
        {
            return Task.FromResult<IReadOnlyList<RecordingChapter>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<RecordingChapter>>([.. list]);
        }
    }

    public Task DeleteAsync(string recordingId)
    {
        lists.TryRemove(recordingId, out _);
        return Task.CompletedTask;
    }
}
