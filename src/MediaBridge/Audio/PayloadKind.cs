namespace MediaBridge.Audio;

/// <summary>The G.711 variants a SIP leg may speak (RFC 3551 §4.5.14).</summary>
public enum PayloadKind
{
    Pcmu,
    Pcma,
}
