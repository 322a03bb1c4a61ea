using System.Diagnostics;

namespace MediaBridge.Rtp;

/// <summary>A monotonic clock in <see cref="TimeSpan"/> ticks, as the RTP rewriting and jitter code expect.</summary>
public static class MediaClock
{
    private static readonly double Scale = TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency;

    public static long NowTicks => (long)(Stopwatch.GetTimestamp() * Scale);
}
