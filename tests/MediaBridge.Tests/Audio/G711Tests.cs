using MediaBridge.Audio;

namespace MediaBridge.Tests.Audio;

public sealed class G711Tests
{
    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x80, 32124)]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    [InlineData(0xEF, 132)]
    [InlineData(0x6F, -132)]
    public void Mu_law_codes_decode_to_the_reference_values(byte code, short expected)
    {
        Assert.Equal(expected, G711.MuLawToLinear(code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xC5, 264)]
    [InlineData(0xD0, 88)]
    [InlineData(0xDA, 248)]
    public void A_law_codes_decode_to_the_reference_values(byte code, short expected)
    {
        Assert.Equal(expected, G711.ALawToLinear(code));
    }

    [Fact]
    public void Every_code_survives_decode_then_encode()
    {
        for (var code = 0; code < 256; code++)
        {
            var mu = G711.LinearToMuLaw(G711.MuLawToLinear((byte)code));
            Assert.True(mu == code || (code == 0x7F && mu == 0xFF), $"μ-law {code:X2} → {mu:X2}");
            Assert.Equal(code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
        }
    }

    [Fact]
    public void Encoding_is_monotonic_and_error_stays_within_the_segment_step()
    {
        var previousMu = int.MinValue;
        var previousA = int.MinValue;
        for (int sample = short.MinValue; sample <= short.MaxValue; sample += 7)
        {
            var mu = G711.MuLawToLinear(G711.LinearToMuLaw((short)sample));
            var a = G711.ALawToLinear(G711.LinearToALaw((short)sample));
            Assert.True(mu >= previousMu && a >= previousA);
            Assert.True(Math.Abs(mu - sample) <= Math.Max(1100, Math.Abs(sample) / 16), $"μ-law {sample} → {mu}");
            Assert.True(Math.Abs(a - sample) <= Math.Max(1100, Math.Abs(sample) / 16), $"A-law {sample} → {a}");
            (previousMu, previousA) = (mu, a);
        }
    }

    [Fact]
    public void Each_leg_hears_the_others_but_not_itself_and_the_muted_are_not_heard()
    {
        var mixer = new NMinusOneMixer(160);
        var a = Tone(440, 8000);
        var b = Tone(1000, 6000);
        var c = Tone(300, 5000);
        var output = new short[160];

        mixer.Begin();
        mixer.Add(a);
        mixer.Add(b);

        mixer.Render(a, contributed: true, output);
        Assert.Equal(b, output);
        mixer.Render(c, contributed: false, output);
        Assert.Equal(a.Zip(b, (x, y) => (short)(x + y)), output);
    }

    [Fact]
    public void The_mix_saturates_instead_of_wrapping()
    {
        var mixer = new NMinusOneMixer(4);
        var output = new short[4];
        mixer.Begin();
        mixer.Add([30000, -30000, 20000, 0]);
        mixer.Add([30000, -30000, 20000, 0]);

        mixer.Render([0, 0, 0, 0], contributed: false, output);

        Assert.Equal([short.MaxValue, short.MinValue, short.MaxValue, 0], output);
    }

    [Fact]
    public void A_mixed_g711_frame_decodes_close_to_the_exact_sum()
    {
        var mixer = new NMinusOneMixer(160);
        var pcmA = new short[160];
        var pcmB = new short[160];
        var mixed = new short[160];
        var wire = new byte[160];
        var heard = new short[160];
        G711.Decode(PayloadKind.Pcmu, Encode(PayloadKind.Pcmu, Tone(440, 8000)), pcmA);
        G711.Decode(PayloadKind.Pcma, Encode(PayloadKind.Pcma, Tone(1000, 6000)), pcmB);

        mixer.Begin();
        mixer.Add(pcmA);
        mixer.Add(pcmB);
        mixer.Render([], contributed: false, mixed);
        G711.Encode(PayloadKind.Pcma, mixed, wire);
        G711.Decode(PayloadKind.Pcma, wire, heard);

        for (var i = 0; i < 160; i++)
        {
            Assert.InRange(heard[i] - (pcmA[i] + pcmB[i]), -512, 512);
        }
    }

    [Fact]
    public void Mixing_and_coding_allocate_nothing()
    {
        var mixer = new NMinusOneMixer(160);
        var legs = Enumerable.Range(0, 8).Select(i => Encode(i % 2 == 0 ? PayloadKind.Pcmu : PayloadKind.Pcma, Tone(200 + (i * 100), 4000))).ToArray();
        var pcm = new short[legs.Length][];
        for (var i = 0; i < legs.Length; i++)
        {
            pcm[i] = new short[160];
        }

        var output = new short[160];
        var wire = new byte[160];
        void Frame()
        {
            mixer.Begin();
            for (var i = 0; i < legs.Length; i++)
            {
                G711.Decode(i % 2 == 0 ? PayloadKind.Pcmu : PayloadKind.Pcma, legs[i], pcm[i]);
                mixer.Add(pcm[i]);
            }

            for (var i = 0; i < legs.Length; i++)
            {
                mixer.Render(pcm[i], contributed: true, output);
                G711.Encode(i % 2 == 0 ? PayloadKind.Pcmu : PayloadKind.Pcma, output, wire);
            }
        }

        Frame();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 0; n < 1000; n++)
        {
            Frame();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static short[] Tone(double hertz, double amplitude) =>
        [.. Enumerable.Range(0, 160).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * hertz * i / 8000)))];

    private static byte[] Encode(PayloadKind kind, short[] pcm)
    {
        var bytes = new byte[pcm.Length];
        G711.Encode(kind, pcm, bytes);
        return bytes;
    }
}
