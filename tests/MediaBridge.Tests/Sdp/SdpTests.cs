using MediaBridge.Sdp;

namespace MediaBridge.Tests.Sdp;

public sealed class SdpTests
{
    internal const string SoftphoneOffer =
        "v=0\r\n" +
        "o=- 1832401952 3295934451 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "c=IN IP4 127.0.0.1\r\n" +
        "t=0 0\r\n" +
        "m=audio 10000 RTP/AVP 18 0 8 101\r\n" +
        "a=rtpmap:18 G729/8000\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-15\r\n" +
        "a=sendrecv\r\n" +
        "m=video 10002 RTP/AVP 96 97 98\r\n" +
        "b=AS:2000\r\n" +
        "a=rtpmap:96 H264/90000\r\n" +
        "a=fmtp:96 packetization-mode=0;profile-level-id=42e01f\r\n" +
        "a=rtpmap:97 H264/90000\r\n" +
        "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f\r\n" +
        "a=rtpmap:98 VP8/90000\r\n" +
        "a=sendrecv\r\n";

    internal static readonly AnswerOptions Options = new("127.0.0.1", i => 40000 + (2 * i), VideoCodec.None, 42, 1);

    [Fact]
    public void A_softphone_offer_is_answered_with_pcmu_telephone_event_and_h264_mode_1()
    {
        var result = Answer(SoftphoneOffer, Options);

        var answer = result.Answer!;
        Assert.Equal(2, answer.Media.Count);
        Assert.Equal(["0", "101"], answer.Media[0].Formats);
        Assert.Equal(40000, answer.Media[0].Port);
        Assert.Equal(["97"], answer.Media[1].Formats);
        Assert.Equal(40002, answer.Media[1].Port);
        Assert.Equal("packetization-mode=1;profile-level-id=42e01f", result.Video!.Fmtp);
        Assert.Equal(VideoCodec.H264, result.VideoCodec);
        Assert.Equal("101", result.TelephoneEvent!.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(answer.Media[1].Attributes, a => a.Name == "rtcp-fb" && a.Value == "97 nack pli");
        Assert.Equal("127.0.0.1", answer.Connection!.Address);
    }

    [Fact]
    public void The_answer_is_valid_sdp_that_parses_back()
    {
        var text = SdpWriter.Write(Answer(SoftphoneOffer, Options).Answer!);

        Assert.StartsWith("v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=Command\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\n", text, StringComparison.Ordinal);
        Assert.True(SdpParser.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(["PCMU", "telephone-event"], parsed.Media[0].Codecs().Select(c => c.Name));
    }

    [Fact]
    public void A_session_already_on_vp8_answers_vp8_even_when_h264_is_offered()
    {
        var result = Answer(SoftphoneOffer, Options with { SessionVideo = VideoCodec.Vp8 });

        Assert.Equal(["98"], result.Answer!.Media[1].Formats);
        Assert.Equal(VideoCodec.Vp8, result.VideoCodec);
    }

    [Fact]
    public void Video_without_a_session_codec_is_refused_with_port_0_and_audio_still_flows()
    {
        var offer = SoftphoneOffer.Replace("m=video 10002 RTP/AVP 96 97 98", "m=video 10002 RTP/AVP 96", StringComparison.Ordinal);

        var result = Answer(offer, Options with { SessionVideo = VideoCodec.H264 });

        Assert.Equal(0, result.Answer!.Media[1].Port);
        Assert.Equal(40000, result.Answer.Media[0].Port);
        Assert.Null(result.Video);
    }

    [Fact]
    public void An_offer_with_nothing_usable_is_refused_for_a_488()
    {
        var offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 10000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\nm=application 10004 UDP/BFCP *\r\n";

        var result = Answer(offer, Options);

        Assert.Null(result.Answer);
        Assert.Contains("PCMU", result.Refusal);
    }

    [Theory]
    [InlineData("sendonly", "recvonly")]
    [InlineData("recvonly", "sendonly")]
    [InlineData("inactive", "inactive")]
    public void The_answer_mirrors_the_offered_direction(string offered, string answered)
    {
        var offer = SoftphoneOffer.Replace("a=sendrecv\r\nm=video", $"a={offered}\r\nm=video", StringComparison.Ordinal);

        Assert.Contains(Answer(offer, Options).Answer!.Media[0].Attributes, a => a.Name == answered);
    }

    [Fact]
    public void Static_payload_types_need_no_rtpmap()
    {
        var offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 10000 RTP/AVP 8 0\r\n";

        Assert.Equal("PCMA", Answer(offer, Options).Audio!.Name);
    }

    [Theory]
    [InlineData("", "v=0")]
    [InlineData("v=1\r\n", "v=0")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", "o=")]
    [InlineData("v=0\r\no=- 1 x IN IP4 a\r\ns=-\r\nt=0 0\r\n", "o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio notaport RTP/AVP 0\r\n", "m=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 1000 RTP/AVP 0\r\n", "c=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n", "c=")]
    [InlineData("v=0\r\ngarbage\r\n", "Malformed")]
    public void Malformed_sdp_is_refused_with_a_reason(string text, string expected)
    {
        Assert.False(SdpParser.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static SdpAnswer Answer(string offerText, AnswerOptions options)
    {
        Assert.True(SdpParser.TryParse(offerText, out var offer, out var error), error);
        return SdpNegotiator.Answer(offer, options);
    }
}
