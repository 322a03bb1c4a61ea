using System.Net;

namespace MediaBridge.Sdp;

/// <summary>
/// One stream as agreed with a leg: the codec (and telephone-event for audio), where the peer wants
/// RTP and RTCP (RFC 3605 a=rtcp, or the next port up; RFC 5761 rtcp-mux for one port), and whether
/// it wants to receive at all.
/// </summary>
public sealed record NegotiatedStream(SdpCodec Codec, SdpCodec? TelephoneEvent, IPEndPoint? Rtp, IPEndPoint? Rtcp, bool RtcpMux, MediaDirection Direction)
{
    public bool PeerReceives => Direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    public bool PeerSends => Direction is MediaDirection.SendRecv or MediaDirection.SendOnly;
}
