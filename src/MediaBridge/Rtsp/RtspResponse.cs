using System.Globalization;

namespace MediaBridge.Rtsp;

/// <summary>A response from an RTSP server (RFC 2326 §7).</summary>
public sealed record RtspResponse(int Status, string Reason, RtspHeaders Headers, byte[] Body)
{
    public int? CSeq => int.TryParse(Headers["CSeq"]?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;

    public bool Success => Status is >= 200 and < 300;
}
