using MediaBridge.Sdp;

namespace MediaBridge.WebRtc;

/// <summary>The SDP answer for a browser and what it fixed: the streams, and which payload types are audio.</summary>
public sealed record WebRtcAnswer(string Sdp, NegotiatedMedia Media, IReadOnlySet<int> AudioPayloadTypes);
