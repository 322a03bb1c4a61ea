namespace MediaBridge.Rtsp;

/// <summary>A request a server sends its client (RFC 2326 §10: ANNOUNCE, GET_PARAMETER, OPTIONS...).</summary>
public sealed record RtspRequest(string Method, string Uri, RtspHeaders Headers, byte[] Body);
