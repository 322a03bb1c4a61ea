using System.Globalization;

namespace MediaBridge.Sdp;

/// <summary>One <c>m=</c> section with its attributes (RFC 4566 §5.14).</summary>
public sealed record MediaDescription(
    string Media,
    int Port,
    string Protocol,
    IReadOnlyList<string> Formats,
    SdpConnection? Connection,
    IReadOnlyList<string> Bandwidths,
    IReadOnlyList<SdpAttribute> Attributes)
{
    public MediaDirection Direction => Attributes.Select(a => a.Name).LastOrDefault(n => n is "sendrecv" or "sendonly" or "recvonly" or "inactive") switch
    {
        "sendonly" => MediaDirection.SendOnly,
        "recvonly" => MediaDirection.RecvOnly,
        "inactive" => MediaDirection.Inactive,
        _ => MediaDirection.SendRecv,
    };

    public IEnumerable<string> Values(string attribute) =>
        Attributes.Where(a => a.Name == attribute && a.Value is not null).Select(a => a.Value!);

    /// <summary>The codecs this section lists, from a=rtpmap, or the RFC 3551 static table for 0 (PCMU) and 8 (PCMA).</summary>
    public IReadOnlyList<SdpCodec> Codecs()
    {
        var codecs = new List<SdpCodec>();
        foreach (var format in Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
            {
                continue;
            }

            var rtpmap = Values("rtpmap").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal));
            var fmtp = Values("fmtp").FirstOrDefault(v => v.StartsWith(format + " ", StringComparison.Ordinal))?[(format.Length + 1)..].Trim();
            if (rtpmap is not null && SdpCodec.TryParseRtpMap(pt, rtpmap[(format.Length + 1)..], fmtp, out var codec))
            {
                codecs.Add(codec);
            }
            else if (rtpmap is null && SdpCodec.Static(pt) is { } known)
            {
                codecs.Add(known);
            }
        }

        return codecs;
    }
}
