using System.Net;
using System.Security.Cryptography;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// One medium (audio or video) of one leg: its port pair, where the peer is, what arrives from it
/// and what is sent to it. The peer's address is latched from its first packet (symmetric RTP, as
/// terminals behind NAT need); until then the address in its SDP is used. Packets from any other
/// source after latching are ignored.
/// </summary>
public sealed class LegStream : IDisposable
{
    private bool rtpLatched;
    private bool rtcpLatched;

    public LegStream(MediaPorts ports, int clockRate)
    {
        (Rtp, Rtcp) = ports.Allocate();
        Reception = new ReceptionStats(clockRate);
        OutSsrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    }

    public RtpSocket Rtp { get; }

    public RtpSocket Rtcp { get; }

    public NegotiatedStream? Negotiated { get; private set; }

    /// <summary>Where RTCP is sent from: the RTP port itself under rtcp-mux (RFC 5761 §4), else the odd port.</summary>
    public RtpSocket RtcpSender => Negotiated?.RtcpMux == true ? Rtp : Rtcp;

    public ReceptionStats Reception { get; }

    /// <summary>The SSRC the bridge sends this leg with; one per medium, whatever the source.</summary>
    public uint OutSsrc { get; }

    public SocketAddress? RtpRemote { get; private set; }

    public SocketAddress? RtcpRemote { get; private set; }

    public long PacketsOut { get; set; }

    public long BytesOut { get; set; }

    public uint LastTimestampOut { get; set; }

    public long LastPacketTicks { get; private set; }

    public long Foreign { get; private set; }

    public long Malformed { get; set; }

    public long? RemoteLost { get; set; }

    public uint? RemoteJitter { get; set; }

    public bool CanSend => Negotiated is { PeerReceives: true } && RtpRemote is not null;

    public void Negotiate(NegotiatedStream stream)
    {
        Negotiated = stream;
        if (!rtpLatched)
        {
            RtpRemote = stream.Rtp?.Serialize();
        }

        if (!rtcpLatched)
        {
            RtcpRemote = stream.Rtcp?.Serialize();
        }
    }

    /// <summary>Checks a packet's source, latching it the first time; false for a stranger's packet.</summary>
    public bool Admit(SocketAddress from, bool rtcp, long nowTicks)
    {
        ref var latched = ref rtcp ? ref rtcpLatched : ref rtpLatched;
        var remote = rtcp ? RtcpRemote : RtpRemote;
        if (latched)
        {
            if (!from.Equals(remote))
            {
                Foreign++;
                return false;
            }
        }
        else
        {
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.CopyTo(copy.Buffer);
            if (rtcp)
            {
                RtcpRemote = copy;
            }
            else
            {
                RtpRemote = copy;
                if (Negotiated?.RtcpMux == true)
                {
                    RtcpRemote = copy;
                }
            }

            latched = true;
        }

        if (!rtcp)
        {
            LastPacketTicks = nowTicks;
        }

        return true;
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
