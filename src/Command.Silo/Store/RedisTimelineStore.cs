using Command.Contracts.Timeline;
using Command.Grains.Timeline;

namespace Command.Silo.Store;

/// <summary>Each timeline is a Redis list of JSON entries: RPUSH to record, LRANGE to read.</summary>
public sealed class RedisTimelineStore(StoreConnection store, string serviceId) : ITimelineStore
{
    private readonly RedisJsonLists<TimelineEntry> lists = new(store, $"{serviceId}:timeline");

    public Task AppendAsync(string source, IReadOnlyList<TimelineEntry> entries) => lists.AppendAsync(source, entries);

    public Task<IReadOnlyList<TimelineEntry>> ReadAsync(string source) => lists.ReadAsync(source);
}
