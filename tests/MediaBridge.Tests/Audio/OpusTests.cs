using MediaBridge.Audio;

namespace MediaBridge.Tests.Audio;

public sealed class OpusTests
{
    private const int Rate = 16000;
    private const int Frame = 320;
    private const int MaxPacket = 1275;

    [Fact]
    public void The_system_library_is_found_and_names_its_version()
    {
        Assert.True(Opus.IsAvailable);
        Assert.StartsWith("libopus", Opus.Version);
        Assert.Equal("invalid argument", Opus.ErrorText(-1));
    }

    [Fact]
    public void Settings_passed_to_the_variadic_ctl_read_back_unchanged()
    {
        using var encoder = new OpusEncoder(Rate, bitrate: 24000, complexity: 7, expectedLossPercent: 15);

        Assert.Equal(24000, encoder.Get(OpusNative.GetBitrateRequest));
        Assert.Equal(7, encoder.Get(OpusNative.GetComplexityRequest));
        Assert.Equal(1, encoder.Get(OpusNative.GetInbandFecRequest));
        Assert.Equal(15, encoder.Get(OpusNative.GetPacketLossPercRequest));
        Assert.Equal(OpusNative.SignalVoice, encoder.Get(OpusNative.GetSignalRequest));
    }

    [Fact]
    public void A_1_kHz_tone_comes_through_at_its_frequency_and_level()
    {
        using var encoder = new OpusEncoder(Rate);
        using var decoder = new OpusDecoder(Rate);
        var tone = Signal.Sine(1000, Rate, 10000, Rate);
        var heard = new short[Rate];
        var packet = new byte[MaxPacket];

        for (var f = 0; f < Rate / Frame; f++)
        {
            var length = encoder.Encode(tone.AsSpan(f * Frame, Frame), packet);
            Assert.InRange(length, 3, MaxPacket);
            Assert.Equal(Frame, decoder.Decode(packet.AsSpan(0, length), heard.AsSpan(f * Frame, Frame)));
        }

        // Past the codec's start-up (a few ms of look-ahead and its first frames), over a whole number of cycles.
        var settled = heard[(5 * Frame)..];
        var loudest = Enumerable.Range(1, 159).Select(i => i * 50).MaxBy(hz => Signal.Amplitude(settled, hz, Rate));
        Assert.Equal(1000, loudest);
        Assert.InRange(Signal.Decibels(Signal.Amplitude(settled, 1000, Rate), 10000), -3, 1);
        Assert.True(Signal.Decibels(Signal.Amplitude(settled, 2000, Rate), 10000) < -30, "second harmonic");
    }

    [Fact]
    public void A_packet_coded_at_48_kHz_decodes_at_16_kHz()
    {
        using var encoder = new OpusEncoder(48000);
        using var decoder = new OpusDecoder(Rate);
        var tone = Signal.Sine(1000, 48000, 10000, 48000);
        var heard = new short[Rate];
        var packet = new byte[MaxPacket];

        for (var f = 0; f < 50; f++)
        {
            var length = encoder.Encode(tone.AsSpan(f * 960, 960), packet);
            Assert.Equal(960, Opus.PacketSamples(packet.AsSpan(0, length), 48000));
            Assert.Equal(Frame, Opus.PacketSamples(packet.AsSpan(0, length), Rate));
            Assert.Equal(Frame, decoder.Decode(packet.AsSpan(0, length), heard.AsSpan(f * Frame, Frame)));
        }

        var settled = heard.AsSpan(5 * Frame, 45 * Frame);
        Assert.InRange(Signal.Decibels(Signal.Amplitude(settled, 1000, Rate), 10000), -3, 1);
    }

    [Theory]
    [InlineData(new byte[] { 0x03 })]
    [InlineData(new byte[] { 0x03, 0x00 })]
    [InlineData(new byte[] { 0x03, 0x3F })]
    [InlineData(new byte[] { 0x02, 0xFF })]
    [InlineData(new byte[] { 0x0B, 0xC1, 0xFF, 0xFF, 0xFF })]
    public void A_malformed_packet_is_reported_by_a_negative_code_and_the_stream_goes_on(byte[] garbage)
    {
        using var encoder = new OpusEncoder(Rate);
        using var decoder = new OpusDecoder(Rate);
        var pcm = new short[Opus.MaxPacketMilliseconds * Rate / 1000];
        var packet = new byte[MaxPacket];

        Assert.True(decoder.Decode(garbage, pcm) < 0);

        var length = encoder.Encode(new short[Frame], packet);
        Assert.Equal(Frame, decoder.Decode(packet.AsSpan(0, length), pcm));
    }

    [Fact]
    public void Bad_lengths_are_reported_by_negative_codes_not_exceptions()
    {
        using var encoder = new OpusEncoder(Rate);
        using var decoder = new OpusDecoder(Rate);
        var packet = new byte[MaxPacket];

        Assert.Equal(-1, encoder.Encode(new short[300], packet));
        Assert.Equal(-1, encoder.Encode([], packet));
        Assert.Equal(-1, encoder.Encode(Signal.Sine(1000, Rate, 10000, Frame), []));

        var length = encoder.Encode(Signal.Sine(1000, Rate, 10000, Frame), packet);
        Assert.Equal(-2, decoder.Decode(packet.AsSpan(0, length), new short[Frame / 2]));
    }

    [Fact]
    public void A_lost_packet_is_concealed_by_a_frame_that_carries_the_tone_on()
    {
        using var encoder = new OpusEncoder(Rate);
        using var decoder = new OpusDecoder(Rate);
        var tone = Signal.Sine(1000, Rate, 10000, 20 * Frame);
        var pcm = new short[Opus.MaxPacketMilliseconds * Rate / 1000];
        var packet = new byte[MaxPacket];

        Assert.Equal(Frame, new OpusDecoder(Rate).Decode([], pcm));
        for (var f = 0; f < 20; f++)
        {
            decoder.Decode(packet.AsSpan(0, encoder.Encode(tone.AsSpan(f * Frame, Frame), packet)), pcm);
        }

        Assert.Equal(Frame, decoder.Decode([], pcm));
        Assert.True(Signal.Decibels(Signal.Rms(pcm.AsSpan(0, Frame)), 10000 / Math.Sqrt(2)) > -10, $"concealed rms {Signal.Rms(pcm.AsSpan(0, Frame)):F0}");
        Assert.Equal(Frame / 2, decoder.Decode([], pcm.AsSpan(0, Frame / 2)));
    }

    [Fact]
    public void The_next_packet_restores_a_lost_one_closer_than_concealment()
    {
        using var encoder = new OpusEncoder(Rate);
        var speechLike = Enumerable.Range(0, 30 * Frame)
            .Select(i => (short)(6000 * Math.Sin(2 * Math.PI * 220 * i / Rate * (1 + (i / 4000.0))) * (1 + Math.Sin(2 * Math.PI * 3 * i / Rate))))
            .ToArray();
        var packets = new byte[30][];
        var buffer = new byte[MaxPacket];
        for (var f = 0; f < 30; f++)
        {
            packets[f] = buffer.AsSpan(0, encoder.Encode(speechLike.AsSpan(f * Frame, Frame), buffer)).ToArray();
        }

        const int Lost = 20;
        var recovered = Receive(fec: true);
        var concealed = Receive(fec: false);
        var original = speechLike.AsSpan(Lost * Frame, Frame);

        Assert.True(Error(recovered, original) < Error(concealed, original) / 2, $"FEC {Error(recovered, original):F0}, PLC {Error(concealed, original):F0}");

        short[] Receive(bool fec)
        {
            using var decoder = new OpusDecoder(Rate);
            var pcm = new short[Frame];
            for (var f = 0; f < Lost; f++)
            {
                decoder.Decode(packets[f], pcm);
            }

            Assert.Equal(Frame, fec ? decoder.DecodeFec(packets[Lost + 1], pcm) : decoder.Decode([], pcm));
            return pcm;
        }

        static double Error(ReadOnlySpan<short> heard, ReadOnlySpan<short> sent)
        {
            // Opus delays by its look-ahead; line the frames up on the best lag before comparing.
            var best = double.MaxValue;
            for (var lag = 0; lag < 200; lag++)
            {
                var sum = 0.0;
                for (var i = lag; i < heard.Length; i++)
                {
                    var d = heard[i] - sent[i - lag];
                    sum += (double)d * d;
                }

                best = Math.Min(best, Math.Sqrt(sum / (heard.Length - lag)));
            }

            return best;
        }
    }

    [Fact]
    public void Coding_a_frame_allocates_nothing()
    {
        using var encoder = new OpusEncoder(Rate);
        using var decoder = new OpusDecoder(Rate);
        var tone = Signal.Sine(1000, Rate, 10000, Frame);
        var pcm = new short[Frame];
        var packet = new byte[MaxPacket];
        void Round()
        {
            var length = encoder.Encode(tone, packet);
            decoder.Decode(packet.AsSpan(0, length), pcm);
            decoder.Decode([], pcm);
            decoder.DecodeFec(packet.AsSpan(0, length), pcm);
        }

        for (var n = 0; n < 20; n++)
        {
            Round();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 0; n < 500; n++)
        {
            Round();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Rates_and_channel_counts_libopus_lacks_are_refused_up_front()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpusEncoder(44100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpusDecoder(Rate, channels: 3));
        Assert.Throws<InvalidOperationException>(() => new OpusEncoder(Rate, complexity: 11));
    }

    [Fact]
    public void A_disposed_coder_refuses_work_instead_of_touching_freed_memory()
    {
        var encoder = new OpusEncoder(Rate);
        var decoder = new OpusDecoder(Rate);
        encoder.Dispose();
        decoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new short[Frame], new byte[MaxPacket]));
        Assert.Throws<ObjectDisposedException>(() => decoder.Decode([], new short[Frame]));
    }
}
