using MediaBridge.Rtcp;
using MediaBridge.Rtp;

namespace MediaBridge.Tests.Rtp;

/// <summary>RFC 3550 appendix A reception figures and the reports that carry them.</summary>
public sealed class ReceptionStatsTests
{
    [Fact]
    public void Loss_counts_gaps_across_a_sequence_wrap_and_jitter_follows_uneven_arrival()
    {
        var stats = new ReceptionStats(8000);
        ushort[] sequence = [65533, 65534, 65535, 1, 2, 4];
        var now = 0L;
        foreach (var (seq, i) in sequence.Select((s, i) => (s, i)))
        {
            now += TimeSpan.FromMilliseconds(i % 2 == 0 ? 10 : 30).Ticks;
            Assert.True(RtpHeader.TryRead(Packets.Rtp(7, seq, (uint)(i * 160), false, 0, new byte[160]), out var header));
            stats.Update(header, 172, now);
        }

        Assert.Equal(65536u + 4, stats.ExtendedHighest);
        Assert.Equal(8, stats.Expected);
        Assert.Equal(2, stats.Lost);
        Assert.True(stats.JitterMilliseconds > 1, $"jitter {stats.JitterMilliseconds} ms");
        Assert.Equal((byte)(2 * 256 / 8), stats.TakeFractionLost());
        Assert.Equal(0, stats.TakeFractionLost());
    }

    [Fact]
    public void A_sender_report_written_is_read_back_with_its_block_and_a_pli_is_seen_as_a_keyframe_request()
    {
        var buffer = new byte[100];
        var block = new ReportBlock(0xCAFE, 12, -1, 70000, 33, 0, 0);
        var length = RtcpReports.WriteSenderReport(buffer, 0xBEEF, DateTimeOffset.UnixEpoch, 1234, 10, 1600, block);
        length += RtcpFeedback.WritePli(buffer.AsSpan(length), 0xBEEF, 0xCAFE);

        Assert.True(RtcpReader.IsRtcp(buffer));
        Assert.True(RtcpReader.TryRead(buffer.AsSpan(0, length), 0xCAFE, out var summary));
        Assert.Equal(0xBEEFu, summary.SenderSsrc);
        Assert.Equal(block, summary.Block);
        Assert.True(summary.KeyframeRequested);
        Assert.Equal(0x83AA7E80UL << 32, RtcpReports.Ntp(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("81c9000700000001")]
    [InlineData("80c8ffff00000001")]
    [InlineData("40c9000100000001")]
    public void A_compound_packet_whose_lengths_do_not_add_up_is_rejected(string hex)
    {
        Assert.False(RtcpReader.TryRead(Convert.FromHexString(hex), 1, out _));
    }
}
