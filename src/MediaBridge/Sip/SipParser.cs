using System.Globalization;
using System.Text;

namespace MediaBridge.Sip;

/// <summary>
/// Reads one SIP message from a datagram or a stream buffer (RFC 3261 §7). It never throws on
/// input: bad bytes give a <see cref="SipParseError"/>. Lines end in CRLF; folded lines are joined
/// (§7.3.1). The body is framed by Content-Length; over UDP a missing Content-Length means the rest
/// of the datagram (§18.3), and bytes after the framed body are ignored.
/// </summary>
public static class SipParser
{
    /// <summary>Largest message accepted; beyond it a datagram is refused before parsing.</summary>
    public const int MaxMessageSize = 64 * 1024;

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static bool TryParse(ReadOnlySpan<byte> data, bool datagram, out SipMessage message, out SipParseError error)
    {
        message = null!;
        error = null!;
        try
        {
            return Parse(data, datagram, out message, out error);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or DecoderFallbackException)
        {
            error = new SipParseError(400, "Malformed message");
            return false;
        }
    }

    private static bool Parse(ReadOnlySpan<byte> data, bool datagram, out SipMessage message, out SipParseError error)
    {
        message = null!;
        if (data.Length > MaxMessageSize)
        {
            error = new SipParseError(413, "Message too large");
            return false;
        }

        var end = data.IndexOf(HeaderEnd);
        int bodyStart;
        if (end >= 0)
        {
            bodyStart = end + 4;
        }
        else if (datagram && data.EndsWith("\r\n"u8))
        {
            // A datagram whose headers run to its end, without the empty line, has no body.
            end = data.Length - 2;
            bodyStart = data.Length;
        }
        else
        {
            error = new SipParseError(400, "No end of headers");
            return false;
        }

        var lines = Unfold(Encoding.UTF8.GetString(data[..end]));
        if (lines.Count == 0 || lines[0].Length == 0)
        {
            error = new SipParseError(400, "Empty start line");
            return false;
        }

        var headers = new List<SipHeader>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? "" : line[..colon].Trim();
            if (!HeaderText.IsToken(name))
            {
                error = new SipParseError(400, $"Malformed header line");
                return false;
            }

            headers.Add(new SipHeader(HeaderNames.Normalize(name), line[(colon + 1)..].Trim()));
        }

        var sipHeaders = new SipHeaders(headers);
        var isResponse = lines[0].StartsWith("SIP/", StringComparison.OrdinalIgnoreCase);
        if (!TryFrameBody(sipHeaders, data[bodyStart..], datagram, out var body, out var framing))
        {
            error = new SipParseError(400, framing, isResponse ? null : PartialRequest(lines[0], sipHeaders));
            return false;
        }

        return isResponse
            ? TryResponse(lines[0], sipHeaders, body, out message, out error)
            : TryRequest(lines[0], sipHeaders, body, out message, out error);
    }

    private static bool TryFrameBody(SipHeaders headers, ReadOnlySpan<byte> rest, bool datagram, out byte[] body, out string error)
    {
        body = [];
        error = "";
        var lengths = headers.Values(HeaderNames.ContentLength).ToList();
        if (lengths.Count > 1)
        {
            error = "More than one Content-Length";
            return false;
        }

        if (lengths.Count == 0)
        {
            if (!datagram)
            {
                error = "Content-Length is required on a stream transport";
                return false;
            }

            body = rest.ToArray();
            return true;
        }

        if (!int.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxMessageSize)
        {
            error = "Invalid Content-Length";
            return false;
        }

        if (length > rest.Length)
        {
            error = "Content-Length larger than the message";
            return false;
        }

        body = rest[..length].ToArray();
        return true;
    }

    private static bool TryRequest(string line, SipHeaders headers, byte[] body, out SipMessage message, out SipParseError error)
    {
        message = null!;
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0) || !HeaderText.IsToken(parts[0]))
        {
            error = new SipParseError(400, "Malformed request line", PartialRequest(line, headers));
            return false;
        }

        var request = new SipRequest(parts[0], parts[1], parts[2], headers, body);
        if (!parts[2].StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            error = new SipParseError(400, "Malformed request line", request);
            return false;
        }

        if (!string.Equals(parts[2], "SIP/2.0", StringComparison.OrdinalIgnoreCase))
        {
            error = new SipParseError(505, "Version Not Supported", request);
            return false;
        }

        message = request;
        error = null!;
        return true;
    }

    private static bool TryResponse(string line, SipHeaders headers, byte[] body, out SipMessage message, out SipParseError error)
    {
        message = null!;
        var first = line.IndexOf(' ', StringComparison.Ordinal);
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        var version = first < 0 ? line : line[..first];
        var code = first < 0 ? "" : second < 0 ? line[(first + 1)..] : line[(first + 1)..second];
        if (!string.Equals(version, "SIP/2.0", StringComparison.OrdinalIgnoreCase)
            || code.Length != 3
            || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            || status is < 100 or > 699)
        {
            error = new SipParseError(400, "Malformed status line");
            return false;
        }

        message = new SipResponse(status, second < 0 ? "" : line[(second + 1)..], headers, body);
        error = null!;
        return true;
    }

    /// <summary>Enough of a broken request to address an error response to it.</summary>
    private static SipRequest? PartialRequest(string line, SipHeaders headers)
    {
        var method = line.Split(' ', 2)[0];
        return HeaderText.IsToken(method) ? new SipRequest(method, "", "SIP/2.0", headers, ReadOnlyMemory<byte>.Empty) : null;
    }

    /// <summary>Splits on CRLF and joins continuation lines, which begin with space or tab (RFC 3261 §7.3.1).</summary>
    private static List<string> Unfold(string text)
    {
        var lines = new List<string>();
        foreach (var line in text.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && lines.Count > 1)
            {
                lines[^1] = lines[^1].TrimEnd() + " " + line.Trim();
            }
            else
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
