using MediaBridge.Conference;
using MediaBridge.Sdp;
using MediaBridge.WebRtc;

namespace MediaBridge.Legs.Browsers;

/// <summary>One medium's share of a browser leg's bundled, secured port (RFC 8843); video is kept for resending on NACK.</summary>
public sealed class BundlePath(WebRtcTransport transport, bool video) : IStreamPath
{
    public int LocalPort => transport.LocalPort;

    public bool CanSendRtp => transport.Secured;

    public bool CanSendRtcp => transport.Secured;

    /// <summary>ICE, not SDP, says where a browser is; the negotiated addresses are placeholders.</summary>
    public void Negotiate(NegotiatedStream stream)
    {
    }

    public void SendRtp(ReadOnlySpan<byte> packet) => transport.SendRtp(packet, video);

    public void SendRtcp(ReadOnlySpan<byte> packet) => transport.SendRtcp(packet);

    /// <summary>The transport belongs to the leg and is disposed with it.</summary>
    public void Dispose()
    {
    }
}
