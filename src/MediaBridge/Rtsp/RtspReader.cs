using System.Globalization;
using System.Text;

namespace MediaBridge.Rtsp;

/// <summary>
/// Reads what an RTSP server sends on its connection (RFC 2326 §4, §10.12): responses, requests of
/// its own, and interleaved <c>$</c> frames, one at a time from the front of a buffer. It never
/// throws: anything that is none of these is skipped, a byte or a bad message at a time, so the
/// stream finds its footing again; sizes beyond reason count as garbage, not as a wait for more.
/// </summary>
public static class RtspReader
{
    public const int MaxHead = 16 * 1024;

    public const int MaxBody = 1024 * 1024;

    public static RtspItemKind Read(ReadOnlySpan<byte> data, out int consumed, out InterleavedFrame frame, out RtspResponse? response, out RtspRequest? request)
    {
        (consumed, frame, response, request) = (0, default, null, null);
        if (data.IsEmpty)
        {
            return RtspItemKind.NeedMore;
        }

        if (data[0] == (byte)'$')
        {
            if (data.Length < 4)
            {
                return RtspItemKind.NeedMore;
            }

            var length = (data[2] << 8) | data[3];
            if (data.Length < 4 + length)
            {
                return RtspItemKind.NeedMore;
            }

            frame = new InterleavedFrame(data[1], data.Slice(4, length).ToArray());
            consumed = 4 + length;
            return RtspItemKind.Frame;
        }

        if (!IsTokenByte(data[0]))
        {
            consumed = SkipToCandidate(data);
            return RtspItemKind.Skipped;
        }

        var firstLine = data.IndexOf((byte)'\n');
        if (firstLine >= 0 && !LooksLikeStartLine(data))
        {
            consumed = firstLine + 1;
            return RtspItemKind.Skipped;
        }

        var end = HeadEnd(data, out var terminator);
        if (end < 0)
        {
            if (data.Length > MaxHead)
            {
                consumed = 1;
                return RtspItemKind.Skipped;
            }

            return RtspItemKind.NeedMore;
        }

        var head = Encoding.UTF8.GetString(data[..end]);
        var lines = head.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var headers = ReadHeaders(lines.AsSpan(1));
        var bodyLength = 0;
        if (headers["Content-Length"] is { } cl && (!int.TryParse(cl.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bodyLength) || bodyLength > MaxBody))
        {
            consumed = end + terminator;
            return RtspItemKind.Skipped;
        }

        if (data.Length < end + terminator + bodyLength)
        {
            return RtspItemKind.NeedMore;
        }

        consumed = end + terminator + bodyLength;
        var body = data.Slice(end + terminator, bodyLength).ToArray();
        var start = lines[0].Split(' ', 3);
        if (start.Length >= 2 && start[0].StartsWith("RTSP/", StringComparison.Ordinal)
            && start[1].Length == 3 && int.TryParse(start[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status >= 100)
        {
            response = new RtspResponse(status, start.Length > 2 ? start[2] : "", headers, body);
            return RtspItemKind.Response;
        }

        if (start.Length == 3 && start[2].StartsWith("RTSP/", StringComparison.Ordinal) && start[0].All(c => c < 128 && IsTokenByte((byte)c)))
        {
            request = new RtspRequest(start[0], start[1], headers, body);
            return RtspItemKind.Request;
        }

        return RtspItemKind.Skipped;
    }

    private static RtspHeaders ReadHeaders(ReadOnlySpan<string> lines)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in lines)
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && fields.Count > 0)
            {
                // A folded line continues the header above (RFC 2326 §4.2 after RFC 2616 §4.2).
                var last = fields[^1];
                fields[^1] = new(last.Key, $"{last.Value} {line.Trim()}");
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return new RtspHeaders(fields);
    }

    private static int HeadEnd(ReadOnlySpan<byte> data, out int terminator)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (lf >= 0 && (crlf < 0 || lf < crlf))
        {
            terminator = 2;
            return lf;
        }

        terminator = 4;
        return crlf;
    }

    private static bool LooksLikeStartLine(ReadOnlySpan<byte> data)
    {
        var line = data.IndexOf((byte)'\n');
        var first = line < 0 ? data : data[..line];
        return first.IndexOf("RTSP/"u8) >= 0;
    }

    /// <summary>Skips to the next byte that could start a frame or a message.</summary>
    private static int SkipToCandidate(ReadOnlySpan<byte> data)
    {
        for (var i = 1; i < data.Length; i++)
        {
            if (data[i] == (byte)'$' || IsTokenByte(data[i]) && data[i - 1] == (byte)'\n')
            {
                return i;
            }
        }

        return data.Length;
    }

    private static bool IsTokenByte(byte b) => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or (byte)'_' or (byte)'-';
}
