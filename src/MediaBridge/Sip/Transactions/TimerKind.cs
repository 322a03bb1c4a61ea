namespace MediaBridge.Sip.Transactions;

/// <summary>The RFC 3261 §17 timers, by the letters the RFC gives them.</summary>
internal enum TimerKind
{
    /// <summary>A: retransmit an INVITE; E: retransmit a non-INVITE request; G: retransmit a final INVITE response.</summary>
    Retransmit,

    /// <summary>B, F: the request got no final response; H: the final INVITE response got no ACK.</summary>
    Timeout,

    /// <summary>D, I, J, K: linger to absorb retransmissions, then end.</summary>
    Linger,
}
