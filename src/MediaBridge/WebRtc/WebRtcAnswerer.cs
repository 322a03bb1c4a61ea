using System.Globalization;
using MediaBridge.Sdp;

namespace MediaBridge.WebRtc;

/// <summary>
/// Answers a browser's offer as an ICE-lite (RFC 8445 §2.5), DTLS-passive endpoint that bundles
/// every accepted section on one port (RFC 8843 §7.3) with RTCP multiplexed (RFC 8858). Audio
/// takes Opus (RFC 7587) or, failing that, G.711; video takes the session's codec, VP8 (RFC 7741)
/// first for a session that has none yet, since every browser decodes it. Other sections, data
/// channels among them, are refused with port 0 (RFC 8843 §7.3.3 keeps them out of the bundle).
/// </summary>
public static class WebRtcAnswerer
{
    public static bool TryAnswer(WebRtcOffer offer, WebRtcAnswerOptions options, out WebRtcAnswer answer, out string error)
    {
        answer = null!;
        error = "";
        var sections = new List<MediaDescription>();
        var mids = new List<string>();
        SdpCodec? audio = null, video = null;
        var videoCodec = options.SessionVideo;
        MediaDirection? audioDirection = null, videoDirection = null;
        foreach (var m in offer.Sdp.Media)
        {
            var mid = m.Values("mid").FirstOrDefault();
            MediaDescription? accepted = null;
            if (m.Port != 0 && mid is not null && m.Media == "audio" && audio is null)
            {
                var codecs = m.Codecs();
                audio = codecs.FirstOrDefault(c => c.Is("opus") && c.ClockRate == 48000 && c.Channels == 2)
                    ?? codecs.FirstOrDefault(c => c.Is("PCMU") || c.Is("PCMA"));
                if (audio is not null)
                {
                    audioDirection = m.Direction;
                    accepted = Section(m, mid, audio, options.AudioSsrc, options, "audio");
                }
            }
            else if (m.Port != 0 && mid is not null && m.Media == "video" && video is null)
            {
                (video, videoCodec) = PickVideo(m.Codecs(), options.SessionVideo);
                if (video is not null)
                {
                    videoDirection = m.Direction;
                    accepted = Section(m, mid, video, options.VideoSsrc, options, "video");
                }
            }

            if (accepted is null)
            {
                sections.Add(m with { Port = 0, Connection = null, Bandwidths = [], Formats = [m.Formats.FirstOrDefault() ?? "0"],
                    Attributes = mid is null ? [] : [new SdpAttribute("mid", mid)] });
            }
            else
            {
                sections.Add(accepted);
                mids.Add(mid!);
            }
        }

        if (audio is null && video is null)
        {
            error = options.SessionVideo == VideoCodec.None
                ? "No section of the offer uses Opus, PCMU, PCMA, VP8 or H.264 (packetization-mode 1)."
                : $"No section of the offer uses Opus, PCMU or PCMA, or this session's video codec {options.SessionVideo}.";
            return false;
        }

        var sdp = new SessionDescription(
            new SdpOrigin("-", options.SessionId.ToString(CultureInfo.InvariantCulture), 1, "IN", SdpConnection.AddressTypeOf(options.Address), options.Address),
            "Command",
            null,
            [],
            "0 0",
            [new SdpAttribute("ice-lite", null), new SdpAttribute("group", "BUNDLE " + string.Join(' ', mids)), new SdpAttribute("msid-semantic", " WMS command")],
            sections);

        NegotiatedStream? Stream(SdpCodec? codec, MediaDirection? direction) =>
            codec is null ? null : new NegotiatedStream(codec, null, null, null, RtcpMux: true, direction!.Value);

        var audioTypes = offer.Sdp.Media.Where(m => m.Media == "audio").SelectMany(m => m.Codecs()).Select(c => c.PayloadType).ToHashSet();
        answer = new WebRtcAnswer(
            SdpWriter.Write(sdp),
            new NegotiatedMedia(Stream(audio, audioDirection), Stream(video, videoDirection), video is null ? options.SessionVideo : videoCodec),
            audioTypes);
        return true;
    }

    private static (SdpCodec? Codec, VideoCodec Kind) PickVideo(IReadOnlyList<SdpCodec> codecs, VideoCodec session)
    {
        var vp8 = codecs.FirstOrDefault(c => c.Is("VP8") && c.ClockRate == 90000);
        var h264 = codecs.Where(c => c.Is("H264") && c.ClockRate == 90000 && c.FmtpParameter("packetization-mode") == "1")
            .OrderByDescending(c => c.FmtpParameter("profile-level-id")?.StartsWith("42e0", StringComparison.OrdinalIgnoreCase) == true)
            .FirstOrDefault();
        return session switch
        {
            VideoCodec.H264 => (h264, session),
            VideoCodec.Vp8 => (vp8, session),
            _ when vp8 is not null => (vp8, VideoCodec.Vp8),
            _ when h264 is not null => (h264, VideoCodec.H264),
            _ => (null, session),
        };
    }

    private static MediaDescription Section(MediaDescription offered, string mid, SdpCodec codec, uint ssrc, WebRtcAnswerOptions options, string label)
    {
        var pt = codec.PayloadType.ToString(CultureInfo.InvariantCulture);
        var attributes = new List<SdpAttribute>
        {
            new("mid", mid),
            new("ice-ufrag", options.IceUfrag),
            new("ice-pwd", options.IcePassword),
            new("fingerprint", options.Fingerprint.ToString()),
            new("setup", "passive"),
            new("rtcp-mux", null),
            new(AnswerDirection.For(offered.Direction), null),
            new("rtpmap", codec.RtpMap),
        };
        if (codec.Is("opus"))
        {
            attributes.Add(new("fmtp", $"{pt} minptime=10;useinbandfec=1"));
        }
        else if (codec.Fmtp is { } fmtp)
        {
            attributes.Add(new("fmtp", $"{pt} {fmtp}"));
        }

        if (offered.Media == "video")
        {
            // RFC 4585 §6.2.1 lost packets resent from the bridge's cache, §6.3.1 and RFC 5104 §3.5.1
            // keyframes on request; REMB tells the browser how much it may send.
            attributes.Add(new("rtcp-fb", $"{pt} nack"));
            attributes.Add(new("rtcp-fb", $"{pt} nack pli"));
            attributes.Add(new("rtcp-fb", $"{pt} ccm fir"));
            attributes.Add(new("rtcp-fb", $"{pt} goog-remb"));
        }

        attributes.Add(new("ssrc", string.Create(CultureInfo.InvariantCulture, $"{ssrc} cname:command")));
        attributes.Add(new("ssrc", string.Create(CultureInfo.InvariantCulture, $"{ssrc} msid:command {label}")));
        attributes.AddRange(options.Candidates.Select(c => new SdpAttribute("candidate", c)));
        attributes.Add(new("end-of-candidates", null));
        return new MediaDescription(offered.Media, options.Port, offered.Protocol, [pt], SdpConnection.For(options.Address), [], attributes);
    }
}
