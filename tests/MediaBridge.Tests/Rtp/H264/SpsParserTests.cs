using MediaBridge.Rtp.H264;

namespace MediaBridge.Tests.Rtp.H264;

/// <summary>Sequence parameter sets as x264 wrote them (through ffmpeg), and ones cut or made up.</summary>
public sealed class SpsParserTests
{
    [Theory]
    [InlineData("6742c00cd90141fb0110000003001000000301e0f142a480", 320, 240, 66, 12, "H264 Constrained Baseline L1.2")]
    [InlineData("6742c01fd9005005bb0110000003001000000301e0f1832480", 1280, 720, 66, 31, "H264 Constrained Baseline L3.1")]
    [InlineData("6764001facd9405005bb011000000300100000030320f1831960", 1280, 720, 100, 31, "H264 High L3.1")]
    public void Reads_size_profile_and_level_of_x264_sps(string hex, int width, int height, int profile, int level, string described)
    {
        Assert.True(SpsParser.TryParse(Convert.FromHexString(hex), out var sps));

        Assert.Equal((width, height, profile, level), (sps.Width, sps.Height, sps.ProfileIdc, sps.LevelIdc));
        Assert.Equal(described, sps.Describe());
    }

    [Fact]
    public void Crop_and_field_coding_change_the_size()
    {
        // 1920x1080 is coded as 120x68 macroblocks with 8 rows cropped (bottom offset 4 in 4:2:0 units).
        var bits = new BitWriter();
        bits.Bits(0x67, 8).Bits(66, 8).Bits(0xC0, 8).Bits(40, 8).Ue(0).Ue(0).Ue(0).Ue(0).Ue(1).Bits(0, 1)
            .Ue(119).Ue(67).Bits(1, 1).Bits(1, 1).Bits(1, 1).Ue(0).Ue(0).Ue(0).Ue(4).Bits(0, 1).Bits(1, 1);
        Assert.True(SpsParser.TryParse(bits.ToArray(), out var sps));
        Assert.Equal((1920, 1080), (sps.Width, sps.Height));

        // Interlaced (frame_mbs_only 0): map units are pairs of macroblock rows.
        bits = new BitWriter();
        bits.Bits(0x67, 8).Bits(77, 8).Bits(0, 8).Bits(30, 8).Ue(0).Ue(0).Ue(0).Ue(0).Ue(1).Bits(0, 1)
            .Ue(44).Ue(17).Bits(0, 1).Bits(0, 1).Bits(1, 1).Bits(0, 1).Bits(0, 1).Bits(1, 1);
        Assert.True(SpsParser.TryParse(bits.ToArray(), out sps));
        Assert.Equal((720, 576), (sps.Width, sps.Height));
    }

    [Fact]
    public void Emulation_prevention_bytes_are_skipped()
    {
        // The 320x240 SPS carries two 00 00 03 sequences in its VUI.
        var raw = Convert.FromHexString("6742c00cd90141fb0110000003001000000301e0f142a480");
        Assert.True(SpsParser.TryParse(raw, out var sps));
        Assert.Equal(320, sps.Width);
        var reader = new NalBitReader([0x00, 0x00, 0x03, 0x01]);
        Assert.Equal(0x000001u, reader.Bits(24));
        Assert.False(reader.Overrun);
    }

    [Fact]
    public void Cut_random_and_wrong_units_are_refused_without_throwing()
    {
        var good = Convert.FromHexString("6742c01fd9005005bb0110000003001000000301e0f1832480");
        for (var length = 0; length < 9; length++)
        {
            Assert.False(SpsParser.TryParse(good.AsSpan(0, length), out _));
        }

        Assert.False(SpsParser.TryParse(Convert.FromHexString("68ce3c80"), out _));
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 40)];
            random.NextBytes(bytes);
            bytes[0] = 0x67;
            if (SpsParser.TryParse(bytes, out var sps))
            {
                Assert.InRange(sps.Width, 1, 16384);
                Assert.InRange(sps.Height, 1, 32768);
            }
        }
    }

    private sealed class BitWriter
    {
        private readonly List<bool> bits = [];

        public BitWriter Bits(uint value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                bits.Add(((value >> i) & 1) == 1);
            }

            return this;
        }

        public BitWriter Ue(uint value)
        {
            var coded = value + 1;
            var length = 32 - System.Numerics.BitOperations.LeadingZeroCount(coded);
            return Bits(0, length - 1).Bits(coded, length);
        }

        public byte[] ToArray()
        {
            var bytes = new byte[(bits.Count + 7) / 8 + 1];
            for (var i = 0; i < bits.Count; i++)
            {
                if (bits[i])
                {
                    bytes[i / 8] |= (byte)(0x80 >> (i % 8));
                }
            }

            return bytes;
        }
    }
}
