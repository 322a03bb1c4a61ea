using System.Collections.Immutable;
using Command.Contracts.Audit;

namespace Command.Grains.Audit;

/// <summary>Appends to and checks the hash chain kept by <see cref="IAuditStore"/>.</summary>
public sealed class AuditLogGrain(IAuditStore store) : Grain, IAuditLogGrain
{
    private const int PageLimit = 1000;
    private long next;
    private string lastHash = AuditChain.Genesis;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        next = await store.CountAsync();
        if (next > 0 && (await store.ReadAsync(next - 1, 1)) is [var last] && AuditChain.Deserialize(last) is { } entry)
        {
            lastHash = entry.Hash;
        }
    }

    public async Task<AuditEntry> AppendAsync(AuditRecord record)
    {
        var entry = AuditChain.Link(next, lastHash, record);
        await store.AppendAsync(AuditChain.Serialize(entry));
        next++;
        lastHash = entry.Hash;
        return entry;
    }

    public async Task<AuditPage> ReadAsync(long from, int count)
    {
        from = Math.Max(0, from);
        count = Math.Clamp(count, 1, PageLimit);
        var raw = await store.ReadAsync(from, count);
        return new AuditPage(await store.CountAsync(), from, [.. raw.Select(AuditChain.Deserialize).OfType<AuditEntry>()]);
    }

    public async Task<AuditVerification> VerifyAsync()
    {
        var total = await store.CountAsync();
        var previous = AuditChain.Genesis;
        for (long from = 0; from < total; from += PageLimit)
        {
            var page = await store.ReadAsync(from, PageLimit);
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
                    return new AuditVerification(false, index, index, $"Entry {index}: {reason}.");
                }

                previous = entry!.Hash;
            }
        }

        return new AuditVerification(true, total, null, null);
    }
}
