namespace Interop.Tests.WebRtc;

/// <summary>How strongly a few tones sound in the last seconds of a 16-bit mono WAV file, which may still be being written.</summary>
public static class WavTone
{
    private const int CanonicalHeader = 44;

    public static Dictionary<int, double> Heard(string path, int rate, TimeSpan last, params int[] frequencies)
    {
        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        // A recorder that writes its header only when it closes (linphonec) leaves zeros where the canonical 44-byte header goes.
        var data = bytes.AsSpan().IndexOf("data"u8);
        var header = data >= 0 ? data + 8 : Math.Min(CanonicalHeader, bytes.Length);
        var samples = Math.Max(0, (bytes.Length - header) / 2);
        var count = Math.Min(samples, (int)(rate * last.TotalSeconds));
        var start = header + ((samples - count) * 2);
        var power = new Dictionary<int, double>();
        foreach (var hz in frequencies)
        {
            double c = 0, s = 0;
            for (var i = 0; i < count; i++)
            {
                var x = BitConverter.ToInt16(bytes, start + (i * 2));
                var phase = 2 * Math.PI * hz * i / rate;
                c += x * Math.Cos(phase);
                s += x * Math.Sin(phase);
            }

            power[hz] = count == 0 ? 0 : Math.Sqrt((c * c) + (s * s)) / count;
        }

        return power;
    }
}
