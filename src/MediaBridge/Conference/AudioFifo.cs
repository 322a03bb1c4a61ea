namespace MediaBridge.Conference;

/// <summary>
/// A leg's decoded audio waiting for the mixer: a ring of samples that absorbs differing packet
/// times and a little jitter. When it overflows the oldest samples go, so delay never builds up.
/// </summary>
public sealed class AudioFifo(int capacity = 1600)
{
    private readonly short[] ring = new short[capacity];
    private int start;

    public int Count { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        foreach (var s in samples)
        {
            if (Count == ring.Length)
            {
                start = (start + 1) % ring.Length;
                Count--;
            }

            ring[(start + Count) % ring.Length] = s;
            Count++;
        }
    }

    /// <summary>Takes one whole frame, or nothing when less than a frame is buffered.</summary>
    public bool TryRead(Span<short> frame)
    {
        if (Count < frame.Length)
        {
            return false;
        }

        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = ring[(start + i) % ring.Length];
        }

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
