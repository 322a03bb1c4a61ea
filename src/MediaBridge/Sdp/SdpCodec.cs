using System.Globalization;

namespace MediaBridge.Sdp;

/// <summary>A payload format: payload type, encoding name, clock rate, channels and its fmtp parameters.</summary>
public sealed record SdpCodec(int PayloadType, string Name, int ClockRate, int Channels = 1, string? Fmtp = null)
{
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>An fmtp parameter such as packetization-mode, or null.</summary>
    public string? FmtpParameter(string name) =>
        Fmtp?.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault();

    public string RtpMap => Channels > 1
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {Name}/{ClockRate}/{Channels}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {Name}/{ClockRate}");

    /// <summary>RFC 3551 table 4 entries the bridge speaks without an rtpmap.</summary>
    public static SdpCodec? Static(int payloadType) => payloadType switch
    {
        0 => new SdpCodec(0, "PCMU", 8000),
        8 => new SdpCodec(8, "PCMA", 8000),
        _ => null,
    };

    public static bool TryParseRtpMap(int payloadType, string text, string? fmtp, out SdpCodec codec)
    {
        codec = null!;
        var parts = text.Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) || rate == 0)
        {
            return false;
        }

        var channels = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels == 0))
        {
            return false;
        }

        codec = new SdpCodec(payloadType, parts[0], rate, channels, fmtp);
        return true;
    }
}
