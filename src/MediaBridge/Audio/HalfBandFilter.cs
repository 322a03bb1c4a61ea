namespace MediaBridge.Audio;

/// <summary>
/// The low-pass shared by <see cref="Upsampler2x"/> and <see cref="Downsampler2x"/>: a 47-tap half-band FIR at
/// 16 kHz cutting at 4 kHz, an ideal sinc shaped by a Kaiser window (β = 5). Half-band means every other tap but
/// the centre is zero and the centre is ½, so a 2× resampler spends 24 multiplies (12 with the symmetry) per
/// 16 kHz sample pair. Designed response: within 0.02 dB up to 3.4 kHz, −6 dB at 4 kHz, at least 53 dB down from
/// 4.6 kHz and 60 dB from 5 kHz. Linear phase: the delay is <see cref="Delay"/> samples at 16 kHz (1.4375 ms).
/// </summary>
internal static class HalfBandFilter
{
    public const int Length = 47;

    /// <summary>Group delay in 16 kHz samples: the centre tap.</summary>
    public const int Delay = (Length - 1) / 2;

    /// <summary>Nonzero side taps that are distinct by symmetry: h[0], h[2], …, h[22]; h[46 − k] = h[k].</summary>
    public const int DistinctTaps = (Delay + 1) / 2;

    private const double KaiserBeta = 5;

    /// <summary>h[2j] for j = 0…11; the centre h[23] = ½ is applied as a halving, and h[odd ≠ 23] = 0.</summary>
    public static readonly float[] Taps = Design();

    /// <summary>Rounds a filter output to 16 bits, clipping rather than wrapping: ringing can overshoot full scale.</summary>
    public static short Saturate(float value) => (short)MathF.Round(Math.Clamp(value, short.MinValue, short.MaxValue));

    private static float[] Design()
    {
        var side = new double[DistinctTaps];
        var sum = 0.0;
        for (var j = 0; j < DistinctTaps; j++)
        {
            var n = (2 * j) - Delay;
            var sinc = Math.Sin(Math.PI * n / 2) / (Math.PI * n);
            var r = (double)n / Delay;
            side[j] = sinc * BesselI0(KaiserBeta * Math.Sqrt(1 - (r * r))) / BesselI0(KaiserBeta);
            sum += 2 * side[j];
        }

        // Scale the side taps to sum to exactly ½ so both polyphase branches pass DC at unity gain.
        var taps = new float[DistinctTaps];
        for (var j = 0; j < DistinctTaps; j++)
        {
            taps[j] = (float)(side[j] * 0.5 / sum);
        }

        return taps;
    }

    /// <summary>Modified Bessel function of the first kind, order 0, by its power series (converges fast for β ≤ 10).</summary>
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (var k = 1; term > 1e-12 * sum; k++)
        {
            var half = x / (2 * k);
            term *= half * half;
            sum += term;
        }

        return sum;
    }
}
