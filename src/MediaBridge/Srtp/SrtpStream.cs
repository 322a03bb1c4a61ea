namespace MediaBridge.Srtp;

/// <summary>What one SRTP session remembers about one SSRC in one protocol.</summary>
internal sealed class SrtpStream
{
    /// <summary>Highest index and replay window; on the sending side the same, so an index is never used twice.</summary>
    public SrtpReplayWindow Window;

    /// <summary>The SRTCP index the next protected RTCP packet takes (RFC 3711 §3.4).</summary>
    public uint NextRtcpIndex;

    /// <summary>When the stream last passed a packet, in the table's own ticks.</summary>
    public long LastUsed;
}
