using Command.Grains.Audit;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>
/// The audit chain as a Redis list, with the ids already appended in a hash, the chain's end (count, last hash,
/// signed head) in another, and the signed checkpoints in a list of their own. Appends run as one server-side script,
/// once per id and only at the length the writer linked to (the writer links to the last entry it read). Durable as
/// the store is: the embedded store commits each write to its log before acknowledging it; after a kill -9 its replay
/// may keep an entry without the bookkeeping written beside it, which is why the chain never trusts that bookkeeping.
/// </summary>
public sealed class RedisAuditStore(StoreConnection store, string serviceId) : IAuditStore
{
    // KEYS: entries, ids, tip. ARGV: id, index, previous hash, hash, entry, signed head.
    // Returns {1, existing entry} for a repeated id, {2} when the chain is no longer that long, {0} when appended.
    private const string AppendScript = """
        local seen = redis.call('HGET', KEYS[2], ARGV[1])
        if seen then
          local existing = redis.call('LINDEX', KEYS[1], tonumber(seen))
          if existing then return {1, existing} end
          return {2}
        end
        local count = redis.call('LLEN', KEYS[1])
        if count ~= tonumber(ARGV[2]) then return {2} end
        redis.call('RPUSH', KEYS[1], ARGV[5])
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[3], 'hash', ARGV[4], 'head', ARGV[6])
        return {0}
        """;

    private const string TipScript = """
        return {redis.call('LLEN', KEYS[1]), redis.call('HGET', KEYS[2], 'hash'), redis.call('HGET', KEYS[2], 'head')}
        """;

    public RedisKey Key { get; } = $"{serviceId}:audit";

    public RedisKey IdsKey { get; } = $"{serviceId}:audit:ids";

    /// <summary>The chain's end: fields <c>hash</c> (the last entry's) and <c>head</c> (signed).</summary>
    public RedisKey TipKey { get; } = $"{serviceId}:audit:tip";

    public RedisKey CheckpointsKey { get; } = $"{serviceId}:audit:checkpoints";

    public async Task<AuditTip> ReadTipAsync()
    {
        var result = (RedisResult[])(await (await Db()).ScriptEvaluateAsync(TipScript, [Key, TipKey]))!;
        return new AuditTip((long)result[0], Text(result[1]), Text(result[2]));
    }

    public async Task<AuditAppendResult> AppendAsync(string entryId, long index, string previousHash, string hash, string entry, string signedHead)
    {
        var result = (RedisResult[])(await (await Db()).ScriptEvaluateAsync(
            AppendScript, [Key, IdsKey, TipKey], [entryId, index, previousHash, hash, entry, signedHead]))!;
        return (int)result[0] switch
        {
            0 => new AuditAppendResult(AuditAppendStatus.Appended),
            1 => new AuditAppendResult(AuditAppendStatus.Duplicate, (string?)result[1]),
            _ => new AuditAppendResult(AuditAppendStatus.Moved),
        };
    }

    public async Task<IReadOnlyList<string>> ReadAsync(long from, int count)
    {
        var values = await (await Db()).ListRangeAsync(Key, from, from + count - 1);
        return [.. values.Select(v => v.ToString())];
    }

    public async Task AddCheckpointAsync(string checkpoint) => await (await Db()).ListRightPushAsync(CheckpointsKey, checkpoint);

    public async Task<IReadOnlyList<string>> ReadCheckpointsAsync()
    {
        var values = await (await Db()).ListRangeAsync(CheckpointsKey);
        return [.. values.Select(v => v.ToString())];
    }

    private static string? Text(RedisResult result) => result.IsNull ? null : (string?)result;

    private async Task<IDatabase> Db() => (await store.GetAsync()).GetDatabase();
}
