using System.Globalization;
using System.Text;

namespace MediaBridge.Sip.Transport;

/// <summary>
/// Finds message boundaries in a SIP byte stream (RFC 3261 §18.3): headers up to the empty line,
/// then exactly Content-Length bytes of body. CRLFs between messages are keep-alives (RFC 5626
/// §3.5.1) and are skipped.
/// </summary>
public static class StreamFramer
{
    public enum Result
    {
        /// <summary>A whole message of the returned length starts after the returned skip.</summary>
        Message,

        /// <summary>Only part of a message is here; read more.</summary>
        Incomplete,

        /// <summary>The stream cannot be framed (no usable Content-Length, or too large): close the connection.</summary>
        Broken,
    }

    public static Result TryFrame(ReadOnlySpan<byte> buffer, out int skip, out int length, out int keepAlives)
    {
        skip = 0;
        length = 0;
        keepAlives = 0;
        while (buffer.Length - skip >= 2 && buffer[skip] == '\r' && buffer[skip + 1] == '\n')
        {
            skip += 2;
            keepAlives++;
        }

        var rest = buffer[skip..];
        var end = rest.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return rest.Length > SipParser.MaxMessageSize ? Result.Broken : Result.Incomplete;
        }

        if (ContentLength(rest[..end]) is not { } bodyLength || end + 4 + bodyLength > SipParser.MaxMessageSize)
        {
            return Result.Broken;
        }

        length = end + 4 + bodyLength;
        return rest.Length >= length ? Result.Message : Result.Incomplete;
    }

    private static int? ContentLength(ReadOnlySpan<byte> headers)
    {
        int? found = null;
        foreach (var line in Encoding.ASCII.GetString(headers).Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("l", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found is not null || !int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            found = value;
        }

        return found;
    }
}
