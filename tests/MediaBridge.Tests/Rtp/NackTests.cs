using MediaBridge.Rtcp;

namespace MediaBridge.Tests.Rtp;

public sealed class NackTests
{
    [Fact]
    public void A_nack_names_its_packet_and_those_its_bitmask_marks()
    {
        // Receiver report first, as browsers send it, then a NACK for 1000 with 1001 and 1016 lost too.
        var compound = Convert.FromHexString("81C90007" + "11111111" + "22222222" + "00000000" + "00000000" + "00000000" + "00000000" + "00000000"
            + "81CD0003" + "11111111" + "22222222" + "03E88001");
        Span<ushort> lost = stackalloc ushort[8];

        var count = RtcpNack.Read(compound, 0x22222222, lost);

        Assert.Equal([1000, 1001, 1016], lost[..count].ToArray());
        Assert.Equal(0, RtcpNack.Read(compound, 0x33333333, lost));
    }

    [Fact]
    public void A_written_nack_reads_back_and_wraps_at_the_sequence_end()
    {
        var buffer = new byte[16];
        RtcpNack.Write(buffer, 1, 2, 65535, 0b11);
        Span<ushort> lost = stackalloc ushort[4];

        Assert.Equal([65535, 0, 1], lost[..RtcpNack.Read(buffer, 2, lost)].ToArray());
    }

    [Theory]
    [InlineData("81CD0009111111112222222203E88001")]
    [InlineData("41CD0003111111112222222203E88001")]
    [InlineData("81CD")]
    public void A_packet_whose_lengths_do_not_add_up_names_nothing(string hex)
    {
        Span<ushort> lost = stackalloc ushort[4];
        Assert.Equal(0, RtcpNack.Read(Convert.FromHexString(hex), 0x22222222, lost));
    }
}
