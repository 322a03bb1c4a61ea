namespace Command.Grains.Audit;

/// <summary>An audit store for tests and tools; it keeps nothing across a restart.</summary>
public sealed class MemoryAuditStore : IAuditStore
{
    private readonly List<string> entries = [];
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    private readonly List<string> checkpoints = [];
    private string? hash;
    private string? head;

    public Task<AuditTip> ReadTipAsync()
    {
        lock (entries)
        {
            return Task.FromResult(new AuditTip(entries.Count, hash, head));
        }
    }

    public Task<AuditAppendResult> AppendAsync(string entryId, long index, string previousHash, string hash, string entry, string signedHead)
    {
        lock (entries)
        {
            if (ids.TryGetValue(entryId, out var existing))
            {
                return Task.FromResult(new AuditAppendResult(AuditAppendStatus.Duplicate, entries[existing]));
            }

            if (entries.Count != index || (this.hash is not null && this.hash != previousHash))
            {
                return Task.FromResult(new AuditAppendResult(AuditAppendStatus.Moved));
            }

            ids[entryId] = entries.Count;
            entries.Add(entry);
            this.hash = hash;
            head = signedHead;
            return Task.FromResult(new AuditAppendResult(AuditAppendStatus.Appended));
        }
    }

    public Task<IReadOnlyList<string>> ReadAsync(long from, int count)
    {
        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. entries.Skip((int)from).Take(count)]);
        }
    }

    public Task AddCheckpointAsync(string checkpoint)
    {
        lock (entries)
        {
            checkpoints.Add(checkpoint);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ReadCheckpointsAsync()
    {
        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. checkpoints]);
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

    /// <summary>Removes the newest entries, as an attacker with store access would; the signed head stays.</summary>
    public IReadOnlyList<string> CutTail(int count)
    {
        lock (entries)
        {
            var cut = entries.GetRange(entries.Count - count, count);
            entries.RemoveRange(entries.Count - count, count);
            return cut;
        }
    }

    /// <summary>Puts back entries removed by <see cref="CutTail"/>.</summary>
    public void Restore(IReadOnlyList<string> cut)
    {
        lock (entries)
        {
            entries.AddRange(cut);
        }
    }
}
