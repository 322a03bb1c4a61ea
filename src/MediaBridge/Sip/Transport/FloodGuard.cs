using System.Net;

namespace MediaBridge.Sip.Transport;

/// <summary>
/// Admission of SIP traffic by token buckets, in three budgets, so that nobody can silence a venue by
/// forging its address (UDP sources are not authenticated):
/// <list type="bullet">
/// <item>An address the bridge knows from authenticated traffic (<see cref="Peers"/>: a live registration
/// or an established dialog) has a budget of its own, <see cref="KnownLimit"/> per <see cref="Window"/>;
/// beyond it packets are dropped, but such an address is never blocked.</item>
/// <item>Any other address has <see cref="Limit"/> per window; a source that exceeds it is ignored for
/// <see cref="BlockFor"/>, in the manner of Kamailio's pike module.</item>
/// <item>All unknown traffic together shares <see cref="GlobalLimit"/> per window, so a flood spread over
/// many forged sources costs the known terminals nothing and is capped for the rest.</item>
/// </list>
/// Memory stays bounded: idle sources are forgotten.
/// </summary>
public sealed class FloodGuard
{
    private const int MaxTracked = 100_000;
    private static readonly long KnownCacheTicks = TimeSpan.FromSeconds(1).Ticks;

    // An address found unknown is asked again before it is refused, at most this often, so a terminal
    // that has just registered is not refused on a stale answer.
    private static readonly long UnknownRecheckTicks = TimeSpan.FromMilliseconds(100).Ticks;
    private readonly Dictionary<IPAddress, Entry> sources = [];
    private readonly Lock gate = new();
    private long lastSweep;
    private double globalTokens;
    private long globalAt;
    private long droppedKnown;
    private long droppedGlobal;
    private long droppedBlocked;

    public FloodGuard(int limit = 60, TimeSpan? window = null, TimeSpan? blockFor = null, int? knownLimit = null, int? globalLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        Window = window ?? TimeSpan.FromSeconds(2);
        BlockFor = blockFor ?? TimeSpan.FromSeconds(60);
        KnownLimit = knownLimit ?? limit * 4;
        GlobalLimit = globalLimit ?? limit * 20;
        globalTokens = GlobalLimit;
        globalAt = long.MinValue;
    }

    /// <summary>Messages one unknown address may send per window before it is blocked.</summary>
    public int Limit { get; }

    /// <summary>Messages one known address may send per window; more are dropped, never blocked.</summary>
    public int KnownLimit { get; }

    /// <summary>Messages all unknown addresses together may send per window.</summary>
    public int GlobalLimit { get; }

    public TimeSpan Window { get; }

    public TimeSpan BlockFor { get; }

    /// <summary>Addresses known from authenticated traffic; unset, every address is unknown.</summary>
    public ISipPeers? Peers { get; set; }

    /// <summary>Messages from known addresses dropped over their own budget.</summary>
    public long DroppedKnown => Interlocked.Read(ref droppedKnown);

    /// <summary>Messages from unknown addresses dropped because all unknown traffic was over its budget.</summary>
    public long DroppedGlobal => Interlocked.Read(ref droppedGlobal);

    /// <summary>Messages from unknown addresses over their own budget or blocked for it.</summary>
    public long DroppedBlocked => Interlocked.Read(ref droppedBlocked);

    public bool Allow(IPAddress source, long nowTicks)
    {
        lock (gate)
        {
            if (nowTicks - lastSweep > Window.Ticks * 10 || sources.Count > MaxTracked)
            {
                Sweep(nowTicks);
            }

            if (!sources.TryGetValue(source, out var entry))
            {
                entry = new Entry { Tokens = Limit, KnownTokens = KnownLimit, At = nowTicks, KnownCheckedAt = long.MinValue };
                sources[source] = entry;
            }

            var elapsed = Math.Max(0, nowTicks - entry.At);
            entry.At = nowTicks;
            entry.Tokens = Math.Min(Limit, entry.Tokens + (elapsed * (double)Limit / Window.Ticks));
            entry.KnownTokens = Math.Min(KnownLimit, entry.KnownTokens + (elapsed * (double)KnownLimit / Window.Ticks));
            Recheck(source, entry, nowTicks, KnownCacheTicks);
            if (entry.Known)
            {
                return AllowKnown(entry);
            }

            if (AllowUnknown(entry, nowTicks))
            {
                return true;
            }

            Recheck(source, entry, nowTicks, UnknownRecheckTicks);
            if (entry.Known)
            {
                return AllowKnown(entry);
            }

            return false;
        }
    }

    private void Recheck(IPAddress source, Entry entry, long nowTicks, long maxAge)
    {
        if (Peers is { } peers && (entry.KnownCheckedAt == long.MinValue || nowTicks - entry.KnownCheckedAt > maxAge || nowTicks < entry.KnownCheckedAt))
        {
            entry.Known = peers.IsKnown(source);
            entry.KnownCheckedAt = nowTicks;
        }
    }

    private bool AllowKnown(Entry entry)
    {
        entry.BlockedUntil = 0;
        if (entry.KnownTokens < 1)
        {
            droppedKnown++;
            return false;
        }

        entry.KnownTokens--;
        return true;
    }

    private bool AllowUnknown(Entry entry, long nowTicks)
    {
        if (entry.BlockedUntil > nowTicks)
        {
            droppedBlocked++;
            return false;
        }

        if (entry.Tokens < 1)
        {
            entry.BlockedUntil = nowTicks + BlockFor.Ticks;
            droppedBlocked++;
            return false;
        }

        var globalElapsed = globalAt == long.MinValue ? 0 : Math.Max(0, nowTicks - globalAt);
        globalAt = nowTicks;
        globalTokens = Math.Min(GlobalLimit, globalTokens + (globalElapsed * (double)GlobalLimit / Window.Ticks));
        if (globalTokens < 1)
        {
            droppedGlobal++;
            return false;
        }

        globalTokens--;
        entry.Tokens--;
        return true;
    }

    private void Sweep(long nowTicks)
    {
        lastSweep = nowTicks;
        foreach (var (address, entry) in sources.ToList())
        {
            if (entry.BlockedUntil <= nowTicks && nowTicks - entry.At > Window.Ticks)
            {
                sources.Remove(address);
            }
        }
    }

    private sealed class Entry
    {
        public double Tokens { get; set; }

        public double KnownTokens { get; set; }

        public long At { get; set; }

        public long BlockedUntil { get; set; }

        public bool Known { get; set; }

        public long KnownCheckedAt { get; set; }
    }
}
