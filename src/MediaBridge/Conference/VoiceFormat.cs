namespace MediaBridge.Conference;

/// <summary>
/// What makes two legs' encoded audio interchangeable: the codec (by name, case-insensitive), its RTP clock rate,
/// its channels and the packet time. Legs of one format that hear the same mix can be sent the same payload.
/// </summary>
public readonly record struct VoiceFormat(string Codec, int ClockRate, int Channels, int FrameMilliseconds);
