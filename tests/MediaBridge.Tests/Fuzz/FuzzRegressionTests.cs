using MediaBridge.Rtcp;
using MediaBridge.Sip;

namespace MediaBridge.Tests.Fuzz;

/// <summary>The literal inputs on which the fuzz properties found a parser throwing, hanging or misreading.</summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public void Two_lone_surrogates_before_an_escape_are_decoded_not_thrown_on()
    {
        Assert.True(SipUri.TryParse("sip:\uD99F\uDBDD%41@example.com", out var uri));
        Assert.Equal("\uFFFD\uFFFDA", uri.User);
        Assert.True(SipUri.TryParse("sip:\uD83D\uDE00%41@example.com", out var pair));
        Assert.Equal("\uD83D\uDE00A", pair.User);
        Assert.True(SipUri.TryParse("sip:\uD800a%41@example.com", out var lone));
        Assert.Equal("\uFFFDaA", lone.User);
    }

    [Fact]
    public void A_sender_report_too_short_for_its_sender_info_is_skipped_not_thrown_on()
    {
        byte[] packet = [0x80, 0xC8, 0x00, 0x03, 0x00, 0x00, 0x00, 0x18, 0xEC, 0xB9, 0x26, 0x0B, 0x00, 0x1F, 0x88, 0x82];

        Assert.True(RtcpReader.TryRead(packet, 0x18, out var summary));
        Assert.Equal(default, summary);
    }
}
