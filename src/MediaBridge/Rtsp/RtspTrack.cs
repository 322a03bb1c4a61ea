namespace MediaBridge.Rtsp;

/// <summary>One stream a DESCRIBE offers: its medium, the URL to SETUP, its RTP payload, for H.264 the parameter sets, and its fmtp as written.</summary>
public sealed record RtspTrack(string Media, string Control, int PayloadType, string Codec, int ClockRate, IReadOnlyList<byte[]> ParameterSets, string? Fmtp = null);
