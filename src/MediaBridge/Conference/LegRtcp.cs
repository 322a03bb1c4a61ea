using MediaBridge.Rtcp;
using MediaBridge.Rtp;

namespace MediaBridge.Conference;

/// <summary>What a room says and hears over a leg's RTCP: reports, keyframe requests and the bitrate it allows.</summary>
internal static class LegRtcp
{
    /// <summary>How long a keyframe request waits for its keyframe before it is repeated.</summary>
    public static readonly long KeyframeRepeatTicks = TimeSpan.FromMilliseconds(300).Ticks;

    /// <summary>A leg's RTCP packet: its report block and feedback; a keyframe request goes on to the source the leg watches.</summary>
    public static void OnRtcp(ConferenceLeg leg, LegStream stream, ReadOnlySpan<byte> packet)
    {
        if (!RtcpReader.TryRead(packet, stream.OutSsrc, out var summary))
        {
            stream.Malformed++;
            return;
        }

        if (summary.Block is { } block)
        {
            stream.RemoteLost = Math.Max(0, block.CumulativeLost);
            stream.RemoteJitter = block.Jitter;
        }

        if (summary.KeyframeRequested && stream == leg.Video && leg.Switch?.Current is { } current && leg.VideoSource?.Id == current)
        {
            // A receiver lost its picture: the request goes on to the source it is watching.
            RequestKeyframe(leg.VideoSource, force: false);
        }
    }

    /// <summary>PLI (RFC 4585 §6.3.1) and FIR (RFC 5104 §4.3.1) together: terminals honour one or the other.</summary>
    public static void RequestKeyframe(ConferenceLeg source, bool force)
    {
        var stream = source.Video;
        var now = MediaClock.NowTicks;
        if (!stream.Path.CanSendRtcp || !stream.Reception.Started || (!force && now - source.LastKeyframeRequestTicks < KeyframeRepeatTicks / 2))
        {
            return;
        }

        source.LastKeyframeRequestTicks = now;
        Span<byte> buffer = stackalloc byte[RtcpFeedback.PliLength + RtcpFeedback.FirLength];
        var length = RtcpFeedback.WritePli(buffer, stream.OutSsrc, stream.Reception.Ssrc);
        length += RtcpFeedback.WriteFir(buffer[length..], stream.OutSsrc, stream.Reception.Ssrc, source.FirSequence++);
        stream.Path.SendRtcp(buffer[..length]);
    }

    /// <summary>A sender report (RFC 3550 §6.4.1), or a receiver report while nothing was sent, with REMB when a bitrate is allowed.</summary>
    public static void SendReport(LegStream stream, DateTimeOffset now)
    {
        if (!stream.Path.CanSendRtcp || stream.Negotiated is null)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[RtcpReports.SenderReportLength + RtcpReports.BlockLength + RtcpFeedback.RembLength];
        ReportBlock? block = stream.Reception.Started
            ? new ReportBlock(stream.Reception.Ssrc, stream.Reception.TakeFractionLost(), (int)Math.Clamp(stream.Reception.Lost, int.MinValue, int.MaxValue),
                stream.Reception.ExtendedHighest, stream.Reception.Jitter, 0, 0)
            : null;
        if (stream.PacketsOut == 0 && block is null)
        {
            // Nothing sent and nothing heard: a sender report now would tie timestamp 0 to the wall clock, and a
            // receiver that syncs by it (ffmpeg) would shift the stream's real timestamps by a random amount.
            return;
        }

        var length = stream.PacketsOut > 0
            ? RtcpReports.WriteSenderReport(buffer, stream.OutSsrc, now, stream.LastTimestampOut, (uint)stream.PacketsOut, (uint)stream.BytesOut, block)
            : RtcpReports.WriteReceiverReport(buffer, stream.OutSsrc, block!.Value);
        if (stream.AllowedBitrate is { } allowed && stream.Reception.Started)
        {
            // RFC 5506 allows feedback in a compound that starts with a report; a browser raises its rate up to this.
            length += RtcpFeedback.WriteRemb(buffer[length..], stream.OutSsrc, stream.Reception.Ssrc, allowed);
        }

        stream.Path.SendRtcp(buffer[..length]);
    }
}
