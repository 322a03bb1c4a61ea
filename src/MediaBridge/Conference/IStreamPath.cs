using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// How one medium of a leg reaches its peer: its own UDP port pair for a SIP terminal, or a share
/// of one secured, bundled port for a browser. The room only hands it finished plain packets.
/// </summary>
public interface IStreamPath : IDisposable
{
    /// <summary>The local port the peer is told to send this medium to.</summary>
    int LocalPort { get; }

    bool CanSendRtp { get; }

    bool CanSendRtcp { get; }

    /// <summary>Takes the negotiated addresses; a path that learns its peer another way ignores them.</summary>
    void Negotiate(NegotiatedStream stream);

    void SendRtp(ReadOnlySpan<byte> packet);

    void SendRtcp(ReadOnlySpan<byte> packet);
}
