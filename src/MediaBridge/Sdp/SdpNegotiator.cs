namespace MediaBridge.Sdp;

/// <summary>
/// Answers an offer for a SIP leg (RFC 3264 §6): one answer m-line per offer m-line, in order.
/// Audio takes the first of PCMU or PCMA the offer lists, with telephone-event (RFC 4733) if offered;
/// video takes the session's codec, H.264 in packetization-mode 1 (RFC 6184) or VP8 (RFC 7741),
/// choosing H.264 first when the session has none yet. Anything else is refused with port 0.
/// </summary>
public static class SdpNegotiator
{
    private const string RtpAvp = "RTP/AVP";

    public static SdpAnswer Answer(SessionDescription offer, AnswerOptions options)
    {
        var answers = new List<MediaDescription>();
        SdpCodec? audio = null, events = null, video = null;
        var videoCodec = options.SessionVideo;
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var m = offer.Media[i];
            var usable = m.Port != 0 && m.Protocol.Equals(RtpAvp, StringComparison.OrdinalIgnoreCase);
            MediaDescription? accepted = null;
            if (usable && m.Media == "audio" && audio is null)
            {
                var codecs = m.Codecs();
                audio = codecs.FirstOrDefault(c => c.Is("PCMU") || c.Is("PCMA"));
                events = codecs.FirstOrDefault(c => c.Is("telephone-event") && c.ClockRate == 8000);
                if (audio is not null)
                {
                    accepted = Stream(m, options.PortFor(i), events is null ? [audio] : [audio, events]);
                }
            }
            else if (usable && m.Media == "video" && video is null)
            {
                (video, videoCodec) = PickVideo(m.Codecs(), videoCodec);
                if (video is not null)
                {
                    accepted = Stream(m, options.PortFor(i), [video]);
                }
            }

            answers.Add(accepted ?? m with { Port = 0, Connection = null, Bandwidths = [], Attributes = [], Formats = [m.Formats.FirstOrDefault() ?? "0"] });
        }

        if (audio is null && video is null)
        {
            return new SdpAnswer(null, null, null, null, options.SessionVideo, "No stream in the offer uses PCMU, PCMA, H.264 (packetization-mode 1) or VP8 over RTP/AVP");
        }

        var answer = new SessionDescription(
            new SdpOrigin("-", options.SessionId.ToString(System.Globalization.CultureInfo.InvariantCulture), options.Version, "IN", SdpConnection.AddressTypeOf(options.Address), options.Address),
            "Command",
            SdpConnection.For(options.Address),
            [],
            "0 0",
            [],
            answers);
        return new SdpAnswer(answer, audio, events, video, videoCodec, null);
    }

    private static (SdpCodec? Codec, VideoCodec Kind) PickVideo(IReadOnlyList<SdpCodec> codecs, VideoCodec session)
    {
        var h264 = codecs.FirstOrDefault(c => c.Is("H264") && c.ClockRate == 90000 && c.FmtpParameter("packetization-mode") == "1");
        var vp8 = codecs.FirstOrDefault(c => c.Is("VP8") && c.ClockRate == 90000);
        return session switch
        {
            VideoCodec.H264 => (h264, session),
            VideoCodec.Vp8 => (vp8, session),
            _ when h264 is not null => (h264, VideoCodec.H264),
            _ when vp8 is not null => (vp8, VideoCodec.Vp8),
            _ => (null, session),
        };
    }

    private static MediaDescription Stream(MediaDescription offered, int port, IReadOnlyList<SdpCodec> codecs)
    {
        var attributes = new List<SdpAttribute>();
        foreach (var codec in codecs)
        {
            attributes.Add(new SdpAttribute("rtpmap", codec.RtpMap));
            if (codec.Fmtp is { } fmtp)
            {
                attributes.Add(new SdpAttribute("fmtp", $"{codec.PayloadType} {fmtp}"));
            }
        }

        if (offered.Media == "video")
        {
            // RFC 4585 §4.2 and RFC 5104 §7.1: the bridge asks for keyframes with PLI or FIR on every switch.
            attributes.Add(new SdpAttribute("rtcp-fb", $"{codecs[0].PayloadType} nack pli"));
            attributes.Add(new SdpAttribute("rtcp-fb", $"{codecs[0].PayloadType} ccm fir"));
        }

        if (offered.Attributes.Any(a => a.Name == "rtcp-mux"))
        {
            // RFC 5761 §5.1.1: RTCP shares the RTP port when the offer proposes it.
            attributes.Add(new SdpAttribute("rtcp-mux", null));
        }

        attributes.Add(new SdpAttribute(AnswerDirection.For(offered.Direction), null));
        return new MediaDescription(
            offered.Media, port, offered.Protocol,
            [.. codecs.Select(c => c.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            null, [], attributes);
    }
}
