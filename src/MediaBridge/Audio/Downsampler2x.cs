namespace MediaBridge.Audio;

/// <summary>
/// Halves the sample rate of one stream (the 16 kHz mix to 8 kHz G.711): low-passes with
/// <see cref="HalfBandFilter"/> before keeping every other sample, so content above 4 kHz is removed rather than
/// folded back into the telephone band (a 6 kHz tone would otherwise sound at 2 kHz). The delay is 11.5 output
/// samples (23 at 16 kHz, 1.4375 ms); after <see cref="Upsampler2x"/> the round trip is a delay of exactly 23
/// samples at 8 kHz. Keeps filter history and the decimation phase across calls, so a stream may be fed in frames of
/// any size, odd ones included, with the same result as all at once; one instance per stream.
/// </summary>
public sealed class Downsampler2x
{
    private const int Reach = HalfBandFilter.Length;

    // Each sample is written twice, Reach apart, so the newest Reach samples are always contiguous.
    private readonly float[] line = new float[2 * Reach];
    private int newest;
    private bool skipNext;

    /// <summary>Output samples a call with <paramref name="inputLength"/> samples writes, given the phase so far.</summary>
    public int OutputLength(int inputLength) => (inputLength + (skipNext ? 0 : 1)) / 2;

    /// <summary>Writes <see cref="OutputLength"/> samples to <paramref name="output"/> and returns that count.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, OutputLength(input.Length), nameof(output));
        var taps = HalfBandFilter.Taps;
        var written = 0;
        for (var i = 0; i < input.Length; i++)
        {
            newest = newest == 0 ? Reach - 1 : newest - 1;
            line[newest] = line[newest + Reach] = input[i];
            skipNext = !skipNext;
            if (!skipNext)
            {
                continue;
            }

            var window = line.AsSpan(newest, Reach);
            var sum = 0.5f * window[HalfBandFilter.Delay];
            for (var j = 0; j < taps.Length; j++)
            {
                sum += taps[j] * (window[2 * j] + window[Reach - 1 - (2 * j)]);
            }

            output[written++] = HalfBandFilter.Saturate(sum);
        }

        return written;
    }

    /// <summary>Forgets the history and the phase, for a stream that starts again.</summary>
    public void Reset()
    {
        Array.Clear(line);
        newest = 0;
        skipNext = false;
    }
}
