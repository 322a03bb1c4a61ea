using MediaBridge.Audio;

namespace MediaBridge.Tests.Audio;

public sealed class ResamplerTests
{
    private const int Second8k = 8000;
    private const int Second16k = 16000;

    [Fact]
    public void A_1_kHz_tone_keeps_its_frequency_and_level_up_to_16_kHz_and_back()
    {
        var tone = Signal.Sine(1000, 8000, 10000, Second8k);
        var up = new short[Second16k];
        var down = new short[Second8k];

        new Upsampler2x().Process(tone, up);
        new Downsampler2x().Process(up, down);

        // Measured over a whole number of cycles once the filters are full.
        var wide = up.AsSpan(1600, 12800);
        Assert.InRange(Signal.Decibels(Signal.Amplitude(wide, 1000, 16000), 10000), -0.5, 0.5);
        Assert.True(Signal.Decibels(Signal.Amplitude(wide, 7000, 16000), 10000) < -60, "no image of 1 kHz at 7 kHz");
        var narrow = down.AsSpan(800, 6400);
        Assert.InRange(Signal.Decibels(Signal.Amplitude(narrow, 1000, 8000), 10000), -0.5, 0.5);
        Assert.InRange(Signal.Decibels(Signal.Rms(narrow), 10000 / Math.Sqrt(2)), -0.5, 0.5);
    }

    [Fact]
    public void Up_then_down_is_a_delay_of_23_samples_at_8_kHz_for_telephone_band_audio()
    {
        var speechBand = Enumerable.Range(0, Second8k)
            .Select(i => (short)((4000 * Math.Sin(2 * Math.PI * 300 * i / 8000)) + (3000 * Math.Sin(2 * Math.PI * 1700 * i / 8000)) + (2000 * Math.Sin(2 * Math.PI * 3100 * i / 8000))))
            .ToArray();
        var up = new short[Second16k];
        var down = new short[Second8k];

        new Upsampler2x().Process(speechBand, up);
        new Downsampler2x().Process(up, down);

        // 23 samples at 16 kHz each way: 46 at 16 kHz, 23 at 8 kHz.
        const int RoundTrip = Upsampler2x.Delay;
        for (var n = 100; n < Second8k; n++)
        {
            Assert.InRange(down[n] - speechBand[n - RoundTrip], -16, 16);
        }
    }

    [Fact]
    public void A_6_kHz_tone_is_filtered_out_rather_than_folded_to_2_kHz_when_going_down_to_8_kHz()
    {
        var tone = Signal.Sine(6000, 16000, 16000, Second16k);
        var down = new short[Second8k];

        new Downsampler2x().Process(tone, down);

        var settled = down.AsSpan(800);
        Assert.True(Signal.Decibels(Signal.Rms(settled), 16000 / Math.Sqrt(2)) < -30, $"rms {Signal.Rms(settled):F1}");
        Assert.True(Signal.Decibels(Signal.Amplitude(settled, 2000, 8000), 16000) < -30);
    }

    [Fact]
    public void Going_up_from_8_kHz_leaves_no_audible_image_of_a_3_kHz_tone()
    {
        var tone = Signal.Sine(3000, 8000, 16000, Second8k);
        var up = new short[Second16k];

        new Upsampler2x().Process(tone, up);

        // At 16 kHz the image of 3 kHz sits at 8 − 3 = 5 kHz (its mirror at 13 kHz is above Nyquist).
        var settled = up.AsSpan(1600, 12800);
        var wanted = Signal.Amplitude(settled, 3000, 16000);
        var image = Signal.Amplitude(settled, 5000, 16000);
        Assert.InRange(Signal.Decibels(wanted, 16000), -0.5, 0.5);
        Assert.True(Signal.Decibels(image, wanted) < -30, $"image at {Signal.Decibels(image, wanted):F1} dB");
    }

    [Fact]
    public void Frames_of_any_size_give_the_same_samples_as_one_call()
    {
        var random = new Random(7);
        var noise = Enumerable.Range(0, Second16k).Select(_ => (short)random.Next(-20000, 20000)).ToArray();
        var sizes = new[] { 320, 1, 159, 160, 7, 320, 2, 33 };

        var upOnce = new short[2 * Second16k];
        new Upsampler2x().Process(noise, upOnce);
        var downOnce = new short[Second16k / 2];
        new Downsampler2x().Process(noise, downOnce);

        var upFramed = new short[2 * Second16k];
        var downFramed = new short[Second16k / 2];
        var upsampler = new Upsampler2x();
        var downsampler = new Downsampler2x();
        int read = 0, up = 0, down = 0;
        for (var f = 0; read < noise.Length; f++)
        {
            var frame = noise.AsSpan(read, Math.Min(sizes[f % sizes.Length], noise.Length - read));
            up += upsampler.Process(frame, upFramed.AsSpan(up));
            var expected = downsampler.OutputLength(frame.Length);
            Assert.Equal(expected, downsampler.Process(frame, downFramed.AsSpan(down, expected)));
            down += expected;
            read += frame.Length;
        }

        Assert.Equal(upOnce, upFramed);
        Assert.Equal(downOnce, downFramed);
    }

    [Fact]
    public void Ringing_past_full_scale_clips_instead_of_wrapping()
    {
        // Full-scale samples signed like the taps they meet add up to more than full scale at the interpolated output.
        var taps = HalfBandFilter.Taps;
        var worst = new short[2 * taps.Length];
        for (var j = 0; j < taps.Length; j++)
        {
            worst[worst.Length - 1 - j] = worst[j] = taps[j] >= 0 ? short.MaxValue : short.MinValue;
        }

        var up = new short[2 * worst.Length];
        new Upsampler2x().Process(worst, up);
        Assert.Equal(short.MaxValue, up[^2]);

        var wide = new short[2 * HalfBandFilter.Length];
        for (var k = 0; k < HalfBandFilter.Length; k++)
        {
            var offset = k - HalfBandFilter.Delay;
            wide[wide.Length - 2 - k] = offset == 0 || (offset % 2 != 0 && taps[Math.Min(k, HalfBandFilter.Length - 1 - k) / 2] >= 0) ? short.MaxValue : short.MinValue;
        }

        var down = new short[wide.Length / 2];
        new Downsampler2x().Process(wide, down);
        Assert.Equal(short.MaxValue, down[^1]);
    }
}
