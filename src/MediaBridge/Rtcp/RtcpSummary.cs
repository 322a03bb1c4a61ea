namespace MediaBridge.Rtcp;

/// <summary>What the bridge takes from one compound RTCP packet.</summary>
public readonly record struct RtcpSummary(uint SenderSsrc, ReportBlock? Block, bool KeyframeRequested);
