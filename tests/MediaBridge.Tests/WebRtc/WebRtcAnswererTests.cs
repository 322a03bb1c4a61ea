using MediaBridge.Dtls;
using MediaBridge.Sdp;
using MediaBridge.WebRtc;

namespace MediaBridge.Tests.WebRtc;

public sealed class WebRtcAnswererTests
{
    /// <summary>The shape of a Chromium offer: audio, video with RTX, a data channel, all bundled.</summary>
    internal const string ChromiumOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS s1\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0 8\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk9p\r\na=ice-pwd:2bqR8fK1mZbT0qzN4y7Uo3s5\r\n" +
        "a=ice-options:trickle\r\na=fingerprint:sha-256 0F:3D:8A:6E:39:2B:93:3C:1A:E5:58:71:C4:A0:6B:77:8D:DA:94:62:6B:C8:57:02:57:36:0A:BE:4A:A3:90:1C\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=msid:s1 a1\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n" +
        "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:63 red/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=ssrc:1001 cname:c\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk9p\r\na=ice-pwd:2bqR8fK1mZbT0qzN4y7Uo3s5\r\n" +
        "a=fingerprint:sha-256 0F:3D:8A:6E:39:2B:93:3C:1A:E5:58:71:C4:A0:6B:77:8D:DA:94:62:6B:C8:57:02:57:36:0A:BE:4A:A3:90:1C\r\n" +
        "a=setup:actpass\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\na=rtcp-rsize\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\n" +
        "a=fmtp:97 apt=96\r\na=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";

    [Fact]
    public void A_chromium_offer_gets_an_ice_lite_passive_answer_bundling_opus_and_vp8_and_refusing_the_data_channel()
    {
        Assert.True(WebRtcOffer.TryRead(ChromiumOffer, out var offer, out var error), error);
        Assert.Equal("Xk9p", offer.IceUfrag);
        var options = new WebRtcAnswerOptions("127.0.0.1", 20000, ["1 1 udp 2130706431 127.0.0.1 20000 typ host"], "abcdefgh", "abcdefghijklmnopqrstuvwx",
            DtlsCertificate.Create().Fingerprint, VideoCodec.None, 11, 22, 1);

        Assert.True(WebRtcAnswerer.TryAnswer(offer, options, out var answer, out error), error);
        Assert.True(SdpParser.TryParse(answer.Sdp, out var sdp, out error), error);
        Assert.Contains(sdp.Attributes, a => a.Name == "ice-lite");
        Assert.Equal("BUNDLE 0 1", sdp.Attributes.Single(a => a.Name == "group").Value);
        Assert.Equal(["111", "96", "webrtc-datachannel"], sdp.Media.Select(m => m.Formats[0]));
        Assert.Equal([20000, 20000, 0], sdp.Media.Select(m => m.Port));
        Assert.All(sdp.Media.Take(2), m =>
        {
            Assert.Equal("passive", m.Values("setup").Single());
            Assert.Contains(m.Attributes, a => a.Name == "rtcp-mux");
            Assert.Equal("1 1 udp 2130706431 127.0.0.1 20000 typ host", m.Values("candidate").Single());
        });
        Assert.Equal(("opus", "VP8", VideoCodec.Vp8), (answer.Media.Audio!.Codec.Name, answer.Media.Video!.Codec.Name, answer.Media.VideoCodec));
        Assert.Equal([0, 8, 63, 111], answer.AudioPayloadTypes.Order());
    }

    [Fact]
    public void A_session_that_switches_h264_gives_a_browser_h264()
    {
        Assert.True(WebRtcOffer.TryRead(ChromiumOffer, out var offer, out _));
        var options = new WebRtcAnswerOptions("127.0.0.1", 20000, [], "abcdefgh", "abcdefghijklmnopqrstuvwx", DtlsCertificate.Create().Fingerprint, VideoCodec.H264, 11, 22, 1);

        Assert.True(WebRtcAnswerer.TryAnswer(offer, options, out var answer, out _));
        Assert.Equal((102, "H264"), (answer.Media.Video!.Codec.PayloadType, answer.Media.Video.Codec.Name));
    }

    [Theory]
    [InlineData("a=setup:actpass", "a=setup:passive", "setup:passive")]
    [InlineData("a=rtcp-mux\r\na=rtpmap:111", "a=rtpmap:111", "rtcp-mux")]
    [InlineData("a=ice-pwd:2bqR8fK1mZbT0qzN4y7Uo3s5\r\n", "", "ICE credentials")]
    [InlineData("sha-256 0F:3D", "sha-256 0F-3D", "fingerprint")]
    public void Offers_the_bridge_cannot_serve_are_refused_with_the_reason(string from, string to, string reason)
    {
        Assert.False(WebRtcOffer.TryRead(ChromiumOffer.Replace(from, to, StringComparison.Ordinal), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
