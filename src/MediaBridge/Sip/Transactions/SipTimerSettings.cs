namespace MediaBridge.Sip.Transactions;

/// <summary>RFC 3261 §17.1.1.1 timer bases: T1 (RTT estimate), T2 (retransmit cap), T4 (network lifetime).</summary>
public sealed record SipTimerSettings(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    public static SipTimerSettings Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>64·T1: how long a transaction tries before giving up (Timers B, F, H, J).</summary>
    public TimeSpan Timeout => T1 * 64;
}
