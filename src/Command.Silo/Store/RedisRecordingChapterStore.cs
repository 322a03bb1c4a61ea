using Command.Contracts.Recordings;
using Command.Grains.Recordings;

namespace Command.Silo.Store;

/// <summary>Each recording's chapters are a Redis list of JSON chapters: RPUSH to add, LRANGE to read, DEL once it expires.</summary>
public sealed class RedisRecordingChapterStore(StoreConnection store, string serviceId) : IRecordingChapterStore
{
    private readonly RedisJsonLists<RecordingChapter> lists = new(store, $"{serviceId}:chapters");

    public Task AppendAsync(string recordingId, IReadOnlyList<RecordingChapter> chapters) => lists.AppendAsync(recordingId, chapters);

    public Task<IReadOnlyList<RecordingChapter>> ReadAsync(string recordingId) => lists.ReadAsync(recordingId);

    public Task DeleteAsync(string recordingId) => lists.DeleteAsync(recordingId);
}
