namespace MediaBridge.Rtp;

/// <summary>Takes one RTP packet, valid only for the call.</summary>
public delegate void RtpSink(ReadOnlySpan<byte> packet);
