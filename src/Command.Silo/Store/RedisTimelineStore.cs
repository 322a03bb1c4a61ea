using System.Text.Json;
using Command.Contracts.Timeline;
using Command.Grains.Timeline;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>Each timeline is a Redis list of JSON entries: RPUSH to record, LRANGE to read.</summary>
public sealed class RedisTimelineStore(StoreConnection store, string serviceId) : ITimelineStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AppendAsync(string source, IReadOnlyList<TimelineEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var values = entries.Select(e => (RedisValue)JsonSerializer.Serialize(e, Json)).ToArray();
        await (await store.GetAsync()).GetDatabase().ListRightPushAsync(Key(source), values);
    }

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string source)
    {
        var values = await (await store.GetAsync()).GetDatabase().ListRangeAsync(Key(source));
        return [.. values.Select(v => JsonSerializer.Deserialize<TimelineEntry>(v.ToString(), Json)).OfType<TimelineEntry>()];
    }

    private RedisKey Key(string source) => $"{serviceId}:timeline:{source}";
}
