namespace MediaBridge.WebRtc;

/// <summary>One plain packet from a browser's bundled port, told apart as video or audio by payload type.</summary>
public delegate void BundlePacketHandler(bool video, ReadOnlySpan<byte> packet, bool rtcp);
