namespace MediaBridge.Sdp;

/// <summary>
/// What the bridge can offer a leg: its media address, a port per m-line, and the session's video
/// codec if an earlier leg already fixed it.
/// </summary>
public sealed record AnswerOptions(string Address, Func<int, int> PortFor, VideoCodec SessionVideo, ulong SessionId, ulong Version);
