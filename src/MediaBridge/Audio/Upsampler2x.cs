namespace MediaBridge.Audio;

/// <summary>
/// Doubles the sample rate of one stream (8 kHz G.711 to the 16 kHz mix): zero-stuffs and low-passes with
/// <see cref="HalfBandFilter"/> so the mirror image of 0–4 kHz in 4–8 kHz is removed (a 3 kHz tone would
/// otherwise also sound at 5 kHz). Every other output is an input sample passed through exactly; the ones between
/// are interpolated. The delay is 23 output samples (1.4375 ms). Keeps filter history across calls, so a stream
/// may be fed in frames of any size with the same result as all at once; one instance per stream.
/// </summary>
public sealed class Upsampler2x
{
    /// <summary>Delay from input to output, in output (16 kHz) samples.</summary>
    public const int Delay = HalfBandFilter.Delay;

    /// <summary>Input samples the interpolating taps span.</summary>
    private const int Reach = 2 * HalfBandFilter.DistinctTaps;

    // Each sample is written twice, Reach apart, so the newest Reach samples are always contiguous.
    private readonly float[] line = new float[2 * Reach];
    private int newest;

    /// <summary>Writes 2 × <paramref name="input"/>.Length samples to <paramref name="output"/> and returns that count.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, 2 * input.Length, nameof(output));
        var taps = HalfBandFilter.Taps;
        for (var i = 0; i < input.Length; i++)
        {
            newest = newest == 0 ? Reach - 1 : newest - 1;
            line[newest] = line[newest + Reach] = input[i];
            var window = line.AsSpan(newest, Reach);
            var sum = 0f;
            for (var j = 0; j < taps.Length; j++)
            {
                sum += taps[j] * (window[j] + window[Reach - 1 - j]);
            }

            // Zero-stuffing halves the level; the gain of 2 restores it.
            output[2 * i] = HalfBandFilter.Saturate(2 * sum);
            output[(2 * i) + 1] = (short)window[(HalfBandFilter.Delay - 1) / 2];
        }

        return 2 * input.Length;
    }

    /// <summary>Forgets the history, for a stream that starts again.</summary>
    public void Reset()
    {
        Array.Clear(line);
        newest = 0;
    }
}
