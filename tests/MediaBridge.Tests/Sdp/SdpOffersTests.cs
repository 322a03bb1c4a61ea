using MediaBridge.Sdp;

namespace MediaBridge.Tests.Sdp;

/// <summary>The bridge's own offers and what it reads from the answers terminals give.</summary>
public sealed class SdpOffersTests
{
    [Fact]
    public void Before_a_session_has_a_video_codec_both_are_offered_and_the_answer_picks_one()
    {
        var offer = SdpWriter.Write(SdpOffers.Create("127.0.0.1", 20000, 20002, VideoCodec.None, 7, 1));
        Assert.Contains("m=video 20002 RTP/AVP 96 97", offer, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:96 packetization-mode=1", offer, StringComparison.Ordinal);

        const string answer = "v=0\r\no=baresip 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
            "m=audio 5004 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=rtcp:5010\r\na=sendrecv\r\n" +
            "m=video 5006 RTP/AVP 97\r\na=rtpmap:97 VP8/90000\r\na=rtcp-mux\r\na=sendrecv\r\n";
        Assert.True(SdpParser.TryParse(answer, out var parsed, out _));

        var media = SdpOffers.ReadAnswer(parsed, VideoCodec.None);

        Assert.NotNull(media);
        Assert.Equal(VideoCodec.Vp8, media.VideoCodec);
        Assert.Equal(("PCMA", 5004, 5010), (media.Audio!.Codec.Name, media.Audio.Rtp!.Port, media.Audio.Rtcp!.Port));
        Assert.Equal((5006, 5006, true), (media.Video!.Rtp!.Port, media.Video.Rtcp!.Port, media.Video.RtcpMux));
    }

    [Fact]
    public void Once_the_session_switches_vp8_an_h264_only_answer_has_no_video_and_a_held_stream_no_address()
    {
        const string answer = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n" +
            "m=audio 5004 RTP/AVP 0\r\na=sendonly\r\nm=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
        Assert.True(SdpParser.TryParse(answer, out var parsed, out _));

        var media = SdpOffers.ReadAnswer(parsed, VideoCodec.Vp8);

        Assert.NotNull(media);
        Assert.Null(media.Video);
        Assert.Null(media.Audio!.Rtp);
        Assert.False(media.Audio.PeerReceives);
    }
}
