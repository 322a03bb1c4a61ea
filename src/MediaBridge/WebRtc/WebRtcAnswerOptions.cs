using MediaBridge.Dtls;
using MediaBridge.Sdp;

namespace MediaBridge.WebRtc;

/// <summary>What the bridge puts in its answer to a browser: where to reach it and who it is.</summary>
/// <param name="Address">The address for c= lines: the first candidate's.</param>
/// <param name="Port">The one port every bundled section shares.</param>
/// <param name="Candidates">Values of the a=candidate lines, the host address and any public ones.</param>
public sealed record WebRtcAnswerOptions(
    string Address,
    int Port,
    IReadOnlyList<string> Candidates,
    string IceUfrag,
    string IcePassword,
    DtlsFingerprint Fingerprint,
    VideoCodec SessionVideo,
    uint AudioSsrc,
    uint VideoSsrc,
    ulong SessionId);
