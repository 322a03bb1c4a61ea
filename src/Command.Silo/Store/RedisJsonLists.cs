using System.Text.Json;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>
/// Append-only lists of JSON values in the store, one Redis list per name under <paramref name="prefix"/>:
/// RPUSH to append (all values of one call at once), LRANGE to read, DEL to drop a list.
/// </summary>
public sealed class RedisJsonLists<T>(StoreConnection store, string prefix)
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AppendAsync(string name, IReadOnlyList<T> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var items = values.Select(v => (RedisValue)JsonSerializer.Serialize(v, Json)).ToArray();
        await (await Db()).ListRightPushAsync(Key(name), items);
    }

    public async Task<IReadOnlyList<T>> ReadAsync(string name)
    {
        var items = await (await Db()).ListRangeAsync(Key(name));
        return [.. items.Select(v => JsonSerializer.Deserialize<T>(v.ToString(), Json)).OfType<T>()];
    }

    public async Task DeleteAsync(string name) => await (await Db()).KeyDeleteAsync(Key(name));

    private RedisKey Key(string name) => $"{prefix}:{name}";

    private async Task<IDatabase> Db() => (await store.GetAsync()).GetDatabase();
}
