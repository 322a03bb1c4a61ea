namespace MediaBridge.Ice;

/// <summary>What became of one datagram handed to <see cref="IceLiteAgent.Handle"/>.</summary>
public enum IceVerdict
{
    /// <summary>Not STUN at all; the caller's demultiplexing should have sent it elsewhere.</summary>
    NotStun,

    /// <summary>STUN but not a Binding request (an indication or a response), which a lite agent has no use for.</summary>
    Ignored,

    /// <summary>Silently discarded, as RFC 8489 §6.3 asks when FINGERPRINT does not match.</summary>
    Dropped,

    /// <summary>An error response was written.</summary>
    Rejected,

    /// <summary>A valid check: a success response was written.</summary>
    Accepted,
}
