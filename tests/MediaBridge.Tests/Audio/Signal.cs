namespace MediaBridge.Tests.Audio;

/// <summary>Test signals and measurements at any sample rate: sines, tone amplitude by Goertzel, level ratios in dB.</summary>
public static class Signal
{
    public static short[] Sine(double hertz, int rate, double amplitude, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * hertz * i / rate)))];

    /// <summary>Peak amplitude of the component at <paramref name="hertz"/>; exact for a whole number of cycles.</summary>
    public static double Amplitude(ReadOnlySpan<short> samples, double hertz, int rate)
    {
        var k = 2 * Math.Cos(2 * Math.PI * hertz / rate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            (s2, s1) = (s1, x + (k * s1) - s2);
        }

        var power = (s1 * s1) + (s2 * s2) - (k * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        var sum = 0.0;
        foreach (var x in samples)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum / Math.Max(samples.Length, 1));
    }

    /// <summary>20·log10(a / b), with a floor so silence compares as very quiet rather than −∞.</summary>
    public static double Decibels(double a, double b) => 20 * Math.Log10(Math.Max(a, 1e-3) / Math.Max(b, 1e-3));
}
