using System.Net;
using MediaBridge.Rtcp;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// A SIP leg's medium on its own even/odd port pair (RFC 3550 §11). The peer's address is latched
/// from its first packet (symmetric RTP, as terminals behind NAT need); until then the address in
/// its SDP is used. Packets from any other source after latching are ignored.
/// </summary>
public sealed class UdpPairPath : IStreamPath
{
    private readonly Lock gate = new();
    private NegotiatedStream? negotiated;
    private bool rtpLatched;
    private bool rtcpLatched;

    public UdpPairPath(MediaPorts ports) => (Rtp, Rtcp) = ports.Allocate();

    public RtpSocket Rtp { get; }

    public RtpSocket Rtcp { get; }

    public int LocalPort => Rtp.LocalEndPoint.Port;

    public SocketAddress? RtpRemote { get; private set; }

    public SocketAddress? RtcpRemote { get; private set; }

    public long Foreign { get; private set; }

    public bool CanSendRtp => RtpRemote is not null;

    public bool CanSendRtcp => RtcpRemote is not null;

    /// <summary>Where RTCP is sent from: the RTP port itself under rtcp-mux (RFC 5761 §4), else the odd port.</summary>
    private RtpSocket RtcpSender => negotiated?.RtcpMux == true ? Rtp : Rtcp;

    public void Negotiate(NegotiatedStream stream)
    {
        lock (gate)
        {
            negotiated = stream;
            if (!rtpLatched)
            {
                RtpRemote = stream.Rtp?.Serialize();
            }

            if (!rtcpLatched)
            {
                RtcpRemote = stream.Rtcp?.Serialize();
            }
        }
    }

    /// <summary>Listens on both ports; nothing is delivered before the medium is negotiated.</summary>
    public void Start(LegStream stream, LegPacketHandler deliver)
    {
        Rtp.Start((p, from) => Receive(stream, deliver, p, from, RtcpReader.IsRtcp(p)));
        Rtcp.Start((p, from) => Receive(stream, deliver, p, from, rtcp: true));
    }

    public void SendRtp(ReadOnlySpan<byte> packet)
    {
        if (RtpRemote is { } remote)
        {
            Rtp.Send(packet, remote);
        }
    }

    public void SendRtcp(ReadOnlySpan<byte> packet)
    {
        if (RtcpRemote is { } remote)
        {
            RtcpSender.Send(packet, remote);
        }
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }

    private void Receive(LegStream stream, LegPacketHandler deliver, ReadOnlySpan<byte> packet, SocketAddress from, bool rtcp)
    {
        if (negotiated is null || !Admit(from, rtcp))
        {
            return;
        }

        deliver(stream, packet, rtcp);
    }

    /// <summary>Checks a packet's source, latching it the first time; false for a stranger's packet.</summary>
    private bool Admit(SocketAddress from, bool rtcp)
    {
        lock (gate)
        {
            ref var latched = ref rtcp ? ref rtcpLatched : ref rtpLatched;
            if (latched)
            {
                if (!from.Equals(rtcp ? RtcpRemote : RtpRemote))
                {
                    Foreign++;
                    return false;
                }

                return true;
            }

            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.CopyTo(copy.Buffer);
            if (rtcp)
            {
                RtcpRemote = copy;
            }
            else
            {
                RtpRemote = copy;
                if (negotiated?.RtcpMux == true)
                {
                    RtcpRemote = copy;
                }
            }

            latched = true;
            return true;
        }
    }
}
