namespace MediaBridge.Audio;

/// <summary>
/// Mixes one 20 ms frame for a conference: every leg hears the sum of the other unmuted legs
/// (N-1), so no one hears an echo of themselves. The total is summed once and each leg's own
/// contribution is subtracted, so a frame costs O(N) and allocates nothing.
/// </summary>
public sealed class NMinusOneMixer(int samplesPerFrame = 160)
{
    private readonly int[] total = new int[samplesPerFrame];

    public int SamplesPerFrame => total.Length;

    public void Begin() => Array.Clear(total);

    /// <summary>Adds a contributing (unmuted, present) leg's decoded frame.</summary>
    public void Add(ReadOnlySpan<short> pcm)
    {
        var n = Math.Min(pcm.Length, total.Length);
        for (var i = 0; i < n; i++)
        {
            total[i] += pcm[i];
        }
    }

    /// <summary>What a leg hears: the total less its own frame if it contributed, clipped to 16 bits.</summary>
    public void Render(ReadOnlySpan<short> own, bool contributed, Span<short> output)
    {
        for (var i = 0; i < total.Length; i++)
        {
            var value = total[i] - (contributed && i < own.Length ? own[i] : 0);
            output[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }
    }
}
