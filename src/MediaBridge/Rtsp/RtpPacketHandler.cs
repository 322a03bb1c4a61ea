namespace MediaBridge.Rtsp;

/// <summary>An RTP packet of a track, as it came over the connection or the track's UDP port.</summary>
public delegate void RtpPacketHandler(RtspTrack track, ReadOnlySpan<byte> packet);
