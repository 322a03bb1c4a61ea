using System.Collections.Immutable;
using System.Text;
using Command.Contracts;
using Command.Contracts.Audit;
using Microsoft.Extensions.Options;

namespace Command.Grains.Audit;

/// <summary>
/// Appends to and checks the hash chain kept by <see cref="IAuditStore"/>. Each append is atomic and idempotent in
/// the store (one entry per id, only onto the end this grain linked to) and moves the signed head with it, so a lost
/// reply cannot fork the chain and cutting off the newest entries shows on verification.
/// </summary>
public sealed class AuditLogGrain(
    IAuditStore store,
    IOptions<AuditOptions> options,
    [PersistentState("audit-key", CommandStorage.Name)] IPersistentState<AuditKeyState> keyState,
    TimeProvider time) : Grain, IAuditLogGrain
{
    private const int PageLimit = 1000;
    private const int ExportLimit = 100_000;
    private const int AppendAttempts = 3;
    private AuditSigner signer = null!;
    private long next;
    private string lastHash = AuditChain.Genesis;

    // After a failed or duplicate append the store may hold more than this grain linked; reread the end first.
    private bool unsure = true;
    private long checkpointed = -1;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var pkcs8 = options.Value.SigningKey is { Length: > 0 } configured ? Convert.FromBase64String(configured) : await StoredKeyAsync();
        signer = new AuditSigner(pkcs8);
        await ReloadTipAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        signer.Dispose();
        return Task.CompletedTask;
    }

    public async Task<AuditEntry> AppendAsync(AuditRecord record)
    {
        if (string.IsNullOrEmpty(record.EntryId))
        {
            record = record with { EntryId = Guid.NewGuid().ToString("N") };
        }

        for (var attempt = 0; attempt < AppendAttempts; attempt++)
        {
            if (unsure)
            {
                await ReloadTipAsync();
            }

            var entry = AuditChain.Link(next, lastHash, record);
            var head = signer.SignHead(next + 1, entry.Hash, time.GetUtcNow());
            AuditAppendResult result;
            try
            {
                result = await store.AppendAsync(record.EntryId, next, lastHash, entry.Hash, AuditChain.Serialize(entry), AuditChain.Serialize(head));
            }
            catch
            {
                unsure = true;
                throw;
            }

            switch (result.Status)
            {
                case AuditAppendStatus.Appended:
                    next++;
                    lastHash = entry.Hash;
                    return entry;
                case AuditAppendStatus.Duplicate when AuditChain.Deserialize(result.Existing ?? "") is { } existing:
                    unsure = true;
                    return existing;
                default:
                    unsure = true;
                    break;
            }
        }

        throw new InvalidOperationException("The audit chain's end kept moving; the entry was not appended.");
    }

    public async Task<AuditPage> ReadAsync(long from, int count)
    {
        from = Math.Max(0, from);
        count = Math.Clamp(count, 1, PageLimit);
        var raw = await store.ReadAsync(from, count);
        return new AuditPage((await store.ReadTipAsync()).Count, from, [.. raw.Select(AuditChain.Deserialize).OfType<AuditEntry>()]);
    }

    public async Task<AuditVerification> VerifyAsync()
    {
        // Captured before reading the store: the store holds at least this many unless entries were removed.
        var written = unsure ? -1 : next;
        var tip = await store.ReadTipAsync();
        var head = AuditChain.TryDeserialize<AuditHead>(tip.SignedHead);
        var checkpoints = (await store.ReadCheckpointsAsync()).Select(AuditChain.TryDeserialize<AuditHead>).ToList();
        var wanted = checkpoints.OfType<AuditHead>().Select(c => c.Count).Append(head?.Count ?? 0).Where(c => c > 0 && c <= tip.Count).ToHashSet();
        var hashAt = new Dictionary<long, string>();

        var previous = AuditChain.Genesis;
        for (long from = 0; from < tip.Count; from += PageLimit)
        {
            var page = await store.ReadAsync(from, (int)Math.Min(PageLimit, tip.Count - from));
            if (page.Count == 0)
            {
                return Broken(from, from, "the entry is missing", head, 0);
            }

            for (var i = 0; i < page.Count; i++)
            {
                var index = from + i;
                var entry = AuditChain.Deserialize(page[i]);
                var reason = entry is null ? "the entry cannot be read"
                    : entry.Index != index ? $"the entry claims index {entry.Index}"
                    : entry.PreviousHash != previous ? "it does not link to the entry before it"
                    : AuditChain.HashOf(entry) != entry.Hash ? "its content does not match its hash"
                    : null;
                if (reason is not null)
                {
                    return new AuditVerification(false, index, index, $"Entry {index}: {reason}.", head);
                }

                previous = entry!.Hash;
                if (wanted.Contains(index + 1))
                {
                    hashAt[index + 1] = previous;
                }
            }
        }

        var count = tip.Count;
        if (written > count)
        {
            return Broken(count, count, $"this node appended {written} entries but the store holds {count}: the newest were removed", head, 0);
        }

        if (head is null)
        {
            return count == 0 ? new AuditVerification(true, 0, null, null) : Broken(count, count, "the chain's end is not signed", null, 0);
        }

        if (!signer.Verifies(head))
        {
            return Broken(count, count, "the signed head's signature does not verify", head, 0);
        }

        if (head.Count > count)
        {
            return Broken(count, count, $"the signed head covers {head.Count} entries but only {count} are stored: the newest were removed", head, 0);
        }

        if (head.Count < count)
        {
            return Broken(count, head.Count, $"entries from {head.Count} on are not covered by the signed head", head, 0);
        }

        if (count > 0 && hashAt[count] != head.Hash)
        {
            return Broken(count, count - 1, $"Entry {count - 1} does not match the signed head", head, 0);
        }

        for (var i = 0; i < checkpoints.Count; i++)
        {
            var checkpoint = checkpoints[i];
            var reason = checkpoint is null ? "cannot be read"
                : !signer.Verifies(checkpoint) ? "has a signature that does not verify"
                : checkpoint.Count > count ? $"covers {checkpoint.Count} entries but only {count} are stored: the newest were removed"
                : hashAt.GetValueOrDefault(checkpoint.Count, AuditChain.Genesis) != checkpoint.Hash ? $"does not match entry {checkpoint.Count - 1}"
                : null;
            if (reason is not null)
            {
                return Broken(count, checkpoint is null ? null : Math.Min(checkpoint.Count, count), $"checkpoint {i} {reason}", head, i);
            }
        }

        return new AuditVerification(true, count, null, null, head, checkpoints.Count);
    }

    public async Task<AuditHead?> CheckpointAsync()
    {
        var tip = await store.ReadTipAsync();
        if (AuditChain.TryDeserialize<AuditHead>(tip.SignedHead) is not { } head || !signer.Verifies(head))
        {
            return null;
        }

        if (checkpointed < 0)
        {
            var all = await store.ReadCheckpointsAsync();
            checkpointed = all.Count == 0 ? 0 : AuditChain.TryDeserialize<AuditHead>(all[^1])?.Count ?? 0;
        }

        if (head.Count == checkpointed)
        {
            return null;
        }

        var checkpoint = signer.SignHead(head.Count, head.Hash, time.GetUtcNow());
        await store.AddCheckpointAsync(AuditChain.Serialize(checkpoint));
        checkpointed = checkpoint.Count;
        return checkpoint;
    }

    public async Task<ImmutableArray<AuditHead>> CheckpointsAsync() =>
        [.. (await store.ReadCheckpointsAsync()).Select(AuditChain.TryDeserialize<AuditHead>).OfType<AuditHead>()];

    public async Task<AuditExport> ExportAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            throw CommandException.Invalid("'to' is before 'from'.");
        }

        var tip = await store.ReadTipAsync();
        var head = AuditChain.TryDeserialize<AuditHead>(tip.SignedHead);
        var first = await FirstAtOrAfterAsync(from, tip.Count);
        var end = await FirstAtOrAfterAsync(to, tip.Count);
        if (end - first > ExportLimit)
        {
            throw CommandException.Invalid($"The range holds {end - first} entries; export at most {ExportLimit} at a time.");
        }

        var anchor = (await CheckpointsAsync()).FirstOrDefault(c => c.Count >= end && c.Count <= tip.Count) ?? head;
        var anchorCount = Math.Min(anchor?.Count ?? tip.Count, tip.Count);
        var previous = first == 0 ? AuditChain.Genesis : (await EntriesAsync(first - 1, first)).FirstOrDefault()?.Hash ?? "";
        var document = new AuditExportDocument(
            "command-audit-export/1", time.GetUtcNow(), from, to, first, previous,
            await EntriesAsync(first, end), await EntriesAsync(end, Math.Max(end, anchorCount)), anchor, signer.PublicKey);
        var payload = AuditChain.Serialize(document);
        return new AuditExport(payload, signer.Sign(Encoding.UTF8.GetBytes(payload)), signer.PublicKey);
    }

    public Task<string> PublicKeyAsync() => Task.FromResult(signer.PublicKey);

    private static AuditVerification Broken(long count, long? index, string reason, AuditHead? head, int checkpoints) =>
        new(false, count, index, reason.StartsWith("Entry", StringComparison.Ordinal) ? reason + "." : $"The chain's end: {reason}.", head, checkpoints);

    private async Task ReloadTipAsync()
    {
        // The chain links to the last entry itself, never to the remembered hash beside it: a store that
        // replays its log after a kill -9 may hold the entry but not the bookkeeping written with it.
        var tip = await store.ReadTipAsync();
        next = tip.Count;
        lastHash = tip.Count == 0
            ? AuditChain.Genesis
            : AuditChain.Deserialize((await store.ReadAsync(tip.Count - 1, 1)).FirstOrDefault() ?? "")?.Hash ?? tip.Hash ?? "";
        unsure = false;
    }

    private async Task<byte[]> StoredKeyAsync()
    {
        if (keyState.State.Pkcs8.Length == 0)
        {
            keyState.State.Pkcs8 = AuditSigner.NewKey();
            await keyState.WriteStateAsync();
        }

        return keyState.State.Pkcs8;
    }

    /// <summary>Entries are appended in time order, so a binary search over their times finds a range's start.</summary>
    private async Task<long> FirstAtOrAfterAsync(DateTimeOffset at, long count)
    {
        long low = 0, high = count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            var entry = AuditChain.Deserialize((await store.ReadAsync(mid, 1)).FirstOrDefault() ?? "");
            if (entry is not null && entry.At < at)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private async Task<ImmutableArray<AuditEntry>> EntriesAsync(long from, long end)
    {
        var entries = ImmutableArray.CreateBuilder<AuditEntry>();
        for (var at = from; at < end; at += PageLimit)
        {
            var page = await store.ReadAsync(at, (int)Math.Min(PageLimit, end - at));
            entries.AddRange(page.Select(AuditChain.Deserialize).OfType<AuditEntry>());
            if (page.Count == 0)
            {
                break;
            }
        }

        return entries.ToImmutable();
    }
}
