using Command.Grains.Audit;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>The audit chain as a Redis list: RPUSH appends, LRANGE pages. Durable as the store is.</summary>
public sealed class RedisAuditStore(StoreConnection store, string serviceId) : IAuditStore
{
    public RedisKey Key { get; } = $"{serviceId}:audit";

    public async Task<long> CountAsync() => await (await Db()).ListLengthAsync(Key);

    public async Task AppendAsync(string entry) => await (await Db()).ListRightPushAsync(Key, entry);

    public async Task<IReadOnlyList<string>> ReadAsync(long from, int count)
    {
        var values = await (await Db()).ListRangeAsync(Key, from, from + count - 1);
        return [.. values.Select(v => v.ToString())];
    }

    private async Task<IDatabase> Db() => (await store.GetAsync()).GetDatabase();
}
