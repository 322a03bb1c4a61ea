using System.Globalization;
using System.Text;
using MediaBridge.Sdp;

namespace MediaBridge.Rtsp;

/// <summary>
/// What a DESCRIBE answered (RFC 2326 §C): the streams of the presentation, with each one's control
/// URL resolved against Content-Base (or Content-Location, or the request URL, §C.1.1), and H.264's
/// sprop-parameter-sets (RFC 6184 §8.1) decoded into SPS and PPS.
/// </summary>
public sealed record RtspDescription(string BaseUrl, string? SessionControl, IReadOnlyList<RtspTrack> Tracks)
{
    public RtspTrack? Video => Tracks.FirstOrDefault(t => t.Media == "video");

    public static bool TryRead(string sdp, string baseUrl, out RtspDescription description, out string error)
    {
        description = null!;
        if (!SdpParser.TryParse(sdp, out var parsed, out error))
        {
            return false;
        }

        var sessionControl = parsed.Attributes.FirstOrDefault(a => a.Name == "control")?.Value;
        var presentation = sessionControl is null or "*" ? baseUrl : Resolve(baseUrl, sessionControl);
        var tracks = new List<RtspTrack>();
        foreach (var media in parsed.Media)
        {
            var format = media.Formats.FirstOrDefault();
            if (format is null || !int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
            {
                continue;
            }

            var rtpmap = media.Values("rtpmap").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal))?[(format.Length + 1)..].Trim();
            var (codec, clock) = ParseRtpMap(rtpmap, pt);
            var fmtp = media.Values("fmtp").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal))?[(format.Length + 1)..];
            var control = media.Values("control").FirstOrDefault();
            tracks.Add(new RtspTrack(media.Media, control is null or "*" ? presentation : Resolve(presentation, control), pt, codec, clock,
                codec.Equals("H264", StringComparison.OrdinalIgnoreCase) ? ParameterSets(fmtp) : [], fmtp?.Trim()));
        }

        if (tracks.Count == 0)
        {
            error = "The description has no stream with an RTP payload";
            return false;
        }

        description = new RtspDescription(baseUrl, sessionControl is null or "*" ? null : presentation, tracks);
        return true;
    }

    /// <summary>The SPS and PPS of <c>sprop-parameter-sets</c>: base64 NAL units separated by commas; bad ones are left out.</summary>
    public static IReadOnlyList<byte[]> ParameterSets(string? fmtp)
    {
        var sets = new List<byte[]>();
        foreach (var parameter in (fmtp ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!parameter.StartsWith("sprop-parameter-sets=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var item in parameter["sprop-parameter-sets=".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var buffer = new byte[item.Length];
                if (Convert.TryFromBase64String(item, buffer, out var length) && length > 0)
                {
                    sets.Add(buffer[..length]);
                }
            }
        }

        return sets;
    }

    /// <summary>A control attribute: an absolute URL as it is, a relative one appended to the base (§C.1.1).</summary>
    public static string Resolve(string baseUrl, string control)
    {
        if (control.Contains("://", StringComparison.Ordinal))
        {
            return control;
        }

        return baseUrl.EndsWith('/') ? baseUrl + control : $"{baseUrl}/{control}";
    }

    private static (string Codec, int Clock) ParseRtpMap(string? rtpmap, int pt)
    {
        if (rtpmap is not null)
        {
            var parts = rtpmap.Split('/');
            if (parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clock) && clock > 0)
            {
                return (parts[0], clock);
            }
        }

        return pt switch
        {
            0 => ("PCMU", 8000),
            8 => ("PCMA", 8000),
            26 => ("JPEG", 90000),
            _ => ("", 90000),
        };
    }

    /// <summary>The body of a DESCRIBE response as text, for the SDP parser.</summary>
    public static string Text(byte[] body) => Encoding.UTF8.GetString(body);
}
