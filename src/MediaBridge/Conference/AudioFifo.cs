namespace MediaBridge.Conference;

/// <summary>
/// A leg's decoded audio waiting for the mixer: a ring of samples that absorbs differing packet
/// times and a little jitter. When it overflows the oldest samples go, so delay never builds up.
/// Samples move in at most two block copies each way, as the clock reads every leg's ring each frame.
/// </summary>
public sealed class AudioFifo(int capacity = 1600)
{
    private readonly short[] ring = new short[capacity];
    private int start;

    public int Count { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        if (samples.Length >= ring.Length)
        {
            samples[^ring.Length..].CopyTo(ring);
            start = 0;
            Count = ring.Length;
            return;
        }

        var overflow = Count + samples.Length - ring.Length;
        if (overflow > 0)
        {
            start = (start + overflow) % ring.Length;
            Count -= overflow;
        }

        var end = (start + Count) % ring.Length;
        var first = Math.Min(samples.Length, ring.Length - end);
        samples[..first].CopyTo(ring.AsSpan(end));
        samples[first..].CopyTo(ring);
        Count += samples.Length;
    }

    /// <summary>Takes one whole frame, or nothing when less than a frame is buffered.</summary>
    public bool TryRead(Span<short> frame)
    {
        if (Count < frame.Length)
        {
            return false;
        }

        var first = Math.Min(frame.Length, ring.Length - start);
        ring.AsSpan(start, first).CopyTo(frame);
        ring.AsSpan(0, frame.Length - first).CopyTo(frame[first..]);
        start = (start + frame.Length) % ring.Length;
        Count -= frame.Length;
        return true;
    }

    public void Clear()
    {
        start = 0;
        Count = 0;
    }
}
