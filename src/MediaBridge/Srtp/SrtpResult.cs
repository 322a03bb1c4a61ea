namespace MediaBridge.Srtp;

/// <summary>What became of an SRTP or SRTCP packet offered for unprotection.</summary>
public enum SrtpResult
{
    /// <summary>Authentic and new; the buffer now holds the plain packet.</summary>
    Ok,

    /// <summary>Too short, or not an RTP or RTCP packet; nothing was checked.</summary>
    Malformed,

    /// <summary>The tag did not match: forged, corrupted, or keyed differently. Session state is untouched.</summary>
    AuthenticationFailed,

    /// <summary>Already received, or too old to tell (RFC 3711 §3.3.2); dropped before authentication.</summary>
    Replayed,
}
