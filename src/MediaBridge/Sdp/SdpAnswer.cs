namespace MediaBridge.Sdp;

/// <summary>The result of answering an offer: the answer, or the reason for a 488 (RFC 3261 §13.3.1.3).</summary>
public sealed record SdpAnswer(SessionDescription? Answer, SdpCodec? Audio, SdpCodec? TelephoneEvent, SdpCodec? Video, VideoCodec VideoCodec, string? Refusal);
