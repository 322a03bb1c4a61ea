namespace MediaBridge.Sdp;

/// <summary>A parsed SDP body (RFC 4566).</summary>
public sealed record SessionDescription(
    SdpOrigin Origin,
    string SessionName,
    SdpConnection? Connection,
    IReadOnlyList<string> Bandwidths,
    string Timing,
    IReadOnlyList<SdpAttribute> Attributes,
    IReadOnlyList<MediaDescription> Media)
{
    /// <summary>Where a stream's media goes: its own c= line, or the session's.</summary>
    public SdpConnection? ConnectionFor(MediaDescription media) => media.Connection ?? Connection;
}
