namespace MediaBridge.Conference;

/// <summary>
/// Receives a leg's packets and hands each one, already admitted and in plain RTP or RTCP, to the
/// room for the stream it belongs to.
/// </summary>
public interface ILegTransport : IDisposable
{
    /// <summary>Starts receiving; <paramref name="deliver"/> is called on the transport's receive threads.</summary>
    void Start(LegPacketHandler deliver);
}
