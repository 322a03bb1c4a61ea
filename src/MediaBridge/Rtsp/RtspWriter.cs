using System.Text;

namespace MediaBridge.Rtsp;

/// <summary>Writes an RTSP 1.0 request (RFC 2326 §6): request line, CSeq, the headers given, and a body if any.</summary>
public static class RtspWriter
{
    public static byte[] Request(string method, string uri, int cseq, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body = default)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(uri).Append(" RTSP/1.0\r\n");
        text.Append("CSeq: ").Append(cseq).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            // A value may not break the message into two: line ends in it are dropped.
            text.Append(name).Append(": ").Append(value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)).Append("\r\n");
        }

        if (!body.IsEmpty)
        {
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        return [.. head, .. body];
    }
}
