namespace MediaBridge.Rtcp;

/// <summary>One reception report block (RFC 3550 §6.4.1).</summary>
public readonly record struct ReportBlock(uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighest, uint Jitter, uint LastSr, uint DelaySinceLastSr);
