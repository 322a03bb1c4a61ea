namespace MediaBridge.Rtsp;

/// <summary>One stream a DESCRIBE offers: its medium, the URL to SETUP, its RTP payload and, for H.264, the parameter sets.</summary>
public sealed record RtspTrack(string Media, string Control, int PayloadType, string Codec, int ClockRate, IReadOnlyList<byte[]> ParameterSets);
