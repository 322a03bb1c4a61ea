namespace MediaBridge.Sdp;

/// <summary>What a leg's offer/answer exchange settled: its audio and video streams, either possibly absent.</summary>
public sealed record NegotiatedMedia(NegotiatedStream? Audio, NegotiatedStream? Video, VideoCodec VideoCodec);
