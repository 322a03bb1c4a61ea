using System.Net;

namespace MediaBridge.Sip.Transport;

/// <summary>
/// A per-source-address rate limit in the manner of Kamailio's pike module: a source that sends
/// more than <see cref="Limit"/> messages within one <see cref="Window"/> is ignored for
/// <see cref="BlockFor"/>. Memory stays bounded: idle sources are forgotten.
/// </summary>
public sealed class FloodGuard(int limit = 60, TimeSpan? window = null, TimeSpan? blockFor = null)
{
    private const int MaxTracked = 100_000;
    private readonly Dictionary<IPAddress, Entry> sources = [];
    private readonly Lock gate = new();
    private long lastSweep;

    public int Limit { get; } = limit;

    public TimeSpan Window { get; } = window ?? TimeSpan.FromSeconds(2);

    public TimeSpan BlockFor { get; } = blockFor ?? TimeSpan.FromSeconds(60);

    public bool Allow(IPAddress source, long nowTicks)
    {
        lock (gate)
        {
            if (nowTicks - lastSweep > Window.Ticks * 10 || sources.Count > MaxTracked)
            {
                Sweep(nowTicks);
            }

            if (!sources.TryGetValue(source, out var entry) || nowTicks - entry.WindowStart > Window.Ticks)
            {
                entry = entry with { WindowStart = nowTicks, Count = 0 };
            }

            if (entry.BlockedUntil > nowTicks)
            {
                sources[source] = entry;
                return false;
            }

            entry = entry with { Count = entry.Count + 1 };
            if (entry.Count > Limit)
            {
                entry = entry with { BlockedUntil = nowTicks + BlockFor.Ticks };
            }

            sources[source] = entry;
            return entry.BlockedUntil <= nowTicks;
        }
    }

    private void Sweep(long nowTicks)
    {
        lastSweep = nowTicks;
        foreach (var (address, entry) in sources.ToList())
        {
            if (entry.BlockedUntil <= nowTicks && nowTicks - entry.WindowStart > Window.Ticks)
            {
                sources.Remove(address);
            }
        }
    }

    private readonly record struct Entry(long WindowStart, int Count, long BlockedUntil);
}
