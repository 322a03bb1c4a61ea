namespace Command.Grains.Audit;

/// <summary>An audit store for tests and tools; it keeps nothing across a restart.</summary>
public sealed class MemoryAuditStore : IAuditStore
{
    private readonly List<string> entries = [];

    public Task<long> CountAsync()
    {
        lock (entries)
        {
            return Task.FromResult((long)entries.Count);
        }
    }

    public Task AppendAsync(string entry)
    {
        lock (entries)
        {
            entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ReadAsync(long from, int count)
    {
        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. entries.Skip((int)from).Take(count)]);
        }
    }

    /// <summary>Overwrites a stored entry, as an attacker with store access would.</summary>
    public void Tamper(int index, string entry)
    {
        lock (entries)
        {
            entries[index] = entry;
        }
    }
}
