using MediaBridge.Dtls;
using MediaBridge.Sdp;

namespace MediaBridge.WebRtc;

/// <summary>
/// What the bridge needs from a browser's offer: its ICE username fragment (RFC 8839 §5.4), its
/// certificate fingerprint and DTLS role (RFC 8122 §5, RFC 5763 §5), and the media sections.
/// Session-level values apply to every section that does not repeat them (RFC 8839 §5.4).
/// </summary>
public sealed record WebRtcOffer(SessionDescription Sdp, string IceUfrag, DtlsFingerprint Fingerprint)
{
    /// <summary>Reads an offer, or says in words why it cannot be used.</summary>
    public static bool TryRead(string text, out WebRtcOffer offer, out string error)
    {
        offer = null!;
        if (!SdpParser.TryParse(text, out var sdp, out error))
        {
            error = $"The offer is not valid SDP: {error}";
            return false;
        }

        var live = sdp.Media.Where(m => m.Port != 0).ToList();
        if (live.Count == 0)
        {
            error = "The offer has no active media section.";
            return false;
        }

        if (live.Any(m => !m.Protocol.Contains("SAVPF", StringComparison.OrdinalIgnoreCase) && m.Media != "application"))
        {
            error = "WebRTC media must use UDP/TLS/RTP/SAVPF (RFC 8829 §5.1.2).";
            return false;
        }

        var first = live[0];
        var ufrag = Value(sdp, first, "ice-ufrag");
        var pwd = Value(sdp, first, "ice-pwd");
        if (ufrag is null || pwd is null)
        {
            error = "The offer has no ICE credentials (a=ice-ufrag and a=ice-pwd).";
            return false;
        }

        if (Value(sdp, first, "fingerprint") is not { } fingerprintText || !DtlsFingerprint.TryParse(fingerprintText, out var fingerprint))
        {
            error = "The offer has no usable certificate fingerprint (a=fingerprint with sha-1, sha-256, sha-384 or sha-512).";
            return false;
        }

        if (Value(sdp, first, "setup") is "passive")
        {
            error = "The offer asks the bridge to open DTLS (a=setup:passive); offer a=setup:actpass or active.";
            return false;
        }

        if (!live.Where(m => m.Media is "audio" or "video").All(m => m.Attributes.Any(a => a.Name == "rtcp-mux")))
        {
            error = "The bridge carries RTP and RTCP on one port; the offer must propose a=rtcp-mux (RFC 8858).";
            return false;
        }

        offer = new WebRtcOffer(sdp, ufrag, fingerprint);
        return true;
    }

    private static string? Value(SessionDescription sdp, MediaDescription media, string name) =>
        media.Values(name).FirstOrDefault() ?? sdp.Attributes.FirstOrDefault(a => a.Name == name)?.Value;
}
