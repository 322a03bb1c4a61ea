using MediaBridge.Audio;

namespace MediaBridge.Tests.Conference;

/// <summary>How loud given tones are in the last audio a terminal received (Goertzel power per frequency).</summary>
public static class ToneMeter
{
    public static Dictionary<int, double> Heard(ScriptedPhone phone, int packets, params int[] frequencies)
    {
        var pcm = phone.Audio.TakeLast(packets).SelectMany(r =>
        {
            var samples = new short[r.Packet.Length - 12];
            G711.Decode(PayloadKind.Pcmu, r.Packet.AsSpan(12), samples);
            return samples;
        }).ToArray();
        return frequencies.ToDictionary(f => f, f => Goertzel(pcm, f) + 1);
    }

    public static string Show(Dictionary<int, double> power) => string.Join(", ", power.Select(p => $"{p.Key} Hz {p.Value:E1}"));

    private static double Goertzel(short[] samples, int hz)
    {
        var k = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            (s2, s1) = (s1, x + (k * s1) - s2);
        }

        return (s1 * s1) + (s2 * s2) - (k * s1 * s2);
    }
}
