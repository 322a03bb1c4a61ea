namespace MediaBridge.Rtsp;

/// <summary>An RTP or RTCP packet carried on the RTSP connection after a <c>$</c> and its channel (RFC 2326 §10.12).</summary>
public readonly record struct InterleavedFrame(byte Channel, ReadOnlyMemory<byte> Payload);
