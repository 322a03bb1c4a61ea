using MediaBridge.Rtcp;

namespace MediaBridge.Tests.Rtp;

public sealed class RembTests
{
    [Fact]
    public void Remb_carries_the_bitrate_as_mantissa_and_exponent()
    {
        var buffer = new byte[RtcpFeedback.RembLength];
        var length = RtcpFeedback.WriteRemb(buffer, 0x11223344, 0xAABBCCDD, 1_500_000);

        Assert.Equal(24, length);
        Assert.Equal(Convert.FromHexString("8FCE0005" + "11223344" + "00000000" + "52454D42" + "010EDC6C" + "AABBCCDD"), buffer);
        Assert.True(RtcpReader.IsRtcp(buffer));
    }
}
