using System.Globalization;
using System.Net;

namespace MediaBridge.Sdp;

/// <summary>
/// The bridge's own offers (RFC 3264 §5), and reading what a peer's description means for one leg.
/// Audio is offered as PCMU, PCMA and telephone-event; video as the session's codec, or both H.264
/// (packetization-mode 1) and VP8 while the session has none, so the first terminal's answer picks it.
/// </summary>
public static class SdpOffers
{
    public const int H264PayloadType = 96;
    public const int Vp8PayloadType = 97;
    public const int TelephoneEventPayloadType = 101;

    public static SessionDescription Create(string address, int audioPort, int videoPort, VideoCodec sessionVideo, ulong sessionId, ulong version)
    {
        var audio = new MediaDescription("audio", audioPort, "RTP/AVP", ["0", "8", "101"], null, [],
        [
            new SdpAttribute("rtpmap", "0 PCMU/8000"),
            new SdpAttribute("rtpmap", "8 PCMA/8000"),
            new SdpAttribute("rtpmap", "101 telephone-event/8000"),
            new SdpAttribute("fmtp", "101 0-15"),
            new SdpAttribute("ptime", "20"),
            new SdpAttribute("rtcp-mux", null),
            new SdpAttribute("sendrecv", null),
        ]);
        var formats = new List<string>();
        var attributes = new List<SdpAttribute>();
        if (sessionVideo is VideoCodec.None or VideoCodec.H264)
        {
            formats.Add("96");
            attributes.Add(new SdpAttribute("rtpmap", "96 H264/90000"));
            attributes.Add(new SdpAttribute("fmtp", "96 packetization-mode=1;profile-level-id=42e01f"));
        }

        if (sessionVideo is VideoCodec.None or VideoCodec.Vp8)
        {
            formats.Add("97");
            attributes.Add(new SdpAttribute("rtpmap", "97 VP8/90000"));
        }

        foreach (var pt in formats)
        {
            attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} nack pli"));
            attributes.Add(new SdpAttribute("rtcp-fb", $"{pt} ccm fir"));
        }

        attributes.Add(new SdpAttribute("rtcp-mux", null));
        attributes.Add(new SdpAttribute("sendrecv", null));
        var video = new MediaDescription("video", videoPort, "RTP/AVP", formats, null, [], attributes);
        return new SessionDescription(
            new SdpOrigin("-", sessionId.ToString(CultureInfo.InvariantCulture), version, "IN", SdpConnection.AddressTypeOf(address), address),
            "Command", SdpConnection.For(address), [], "0 0", [], [audio, video]);
    }

    /// <summary>
    /// Reads the peer's answer to an offer from <see cref="Create"/>: each stream takes the first codec
    /// the answer lists that the bridge offered (§6.1). Null when nothing usable was accepted.
    /// </summary>
    public static NegotiatedMedia? ReadAnswer(SessionDescription answer, VideoCodec sessionVideo)
    {
        NegotiatedStream? audio = null, video = null;
        var videoCodec = sessionVideo;
        foreach (var m in answer.Media.Where(m => m.Port != 0 && m.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase)))
        {
            var codecs = m.Codecs();
            if (m.Media == "audio" && audio is null && codecs.FirstOrDefault(c => c.Is("PCMU") || c.Is("PCMA")) is { } a)
            {
                audio = Stream(answer, m, a, codecs.FirstOrDefault(c => c.Is("telephone-event")));
            }
            else if (m.Media == "video" && video is null)
            {
                var chosen = codecs.FirstOrDefault(c => (c.Is("H264") && sessionVideo != VideoCodec.Vp8) || (c.Is("VP8") && sessionVideo != VideoCodec.H264));
                if (chosen is not null)
                {
                    video = Stream(answer, m, chosen, null);
                    videoCodec = chosen.Is("VP8") ? VideoCodec.Vp8 : VideoCodec.H264;
                }
            }
        }

        return audio is null && video is null ? null : new NegotiatedMedia(audio, video, videoCodec);
    }

    /// <summary>Reads an answer as it arrived in a message body; null when it is not SDP or offers nothing usable.</summary>
    public static NegotiatedMedia? ReadAnswer(ReadOnlyMemory<byte> body, VideoCodec sessionVideo) =>
        SdpParser.TryParse(System.Text.Encoding.UTF8.GetString(body.Span), out var description, out _) ? ReadAnswer(description, sessionVideo) : null;

    /// <summary>The streams of an offer this bridge has just answered with <see cref="SdpNegotiator.Answer"/>.</summary>
    public static NegotiatedMedia FromOffer(SessionDescription offer, SdpAnswer answer)
    {
        var audio = offer.Media.FirstOrDefault(m => m.Media == "audio" && m.Port != 0);
        var video = offer.Media.FirstOrDefault(m => m.Media == "video" && m.Port != 0);
        return new NegotiatedMedia(
            answer.Audio is { } a && audio is not null ? Stream(offer, audio, a, answer.TelephoneEvent) : null,
            answer.Video is { } v && video is not null ? Stream(offer, video, v, null) : null,
            answer.VideoCodec);
    }

    private static NegotiatedStream Stream(SessionDescription d, MediaDescription m, SdpCodec codec, SdpCodec? events)
    {
        IPEndPoint? rtp = null, rtcp = null;
        var mux = m.Attributes.Any(a => a.Name == "rtcp-mux");
        if (d.ConnectionFor(m) is { } c && IPAddress.TryParse(c.Address, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            rtp = new IPEndPoint(address, m.Port);
            var rtcpPort = m.Values("rtcp").Select(v => int.TryParse(v.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0).FirstOrDefault(p => p is > 0 and < 65536);
            rtcp = mux ? rtp : new IPEndPoint(address, rtcpPort > 0 ? rtcpPort : Math.Min(65535, m.Port + 1));
        }

        return new NegotiatedStream(codec, events, rtp, rtcp, mux, m.Direction);
    }
}
