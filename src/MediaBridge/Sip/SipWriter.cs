using System.Globalization;
using System.Text;

namespace MediaBridge.Sip;

/// <summary>Writes a message in wire form with CRLF line ends and a Content-Length that matches the body.</summary>
public static class SipWriter
{
    public static byte[] Write(SipMessage message)
    {
        var text = new StringBuilder(512);
        text.Append(message switch
        {
            SipRequest r => $"{r.Method} {r.RequestUri} SIP/2.0",
            SipResponse r => $"SIP/2.0 {r.StatusCode.ToString(CultureInfo.InvariantCulture)} {r.Reason}",
            _ => throw new ArgumentException("Unknown message type", nameof(message)),
        }).Append("\r\n");
        foreach (var header in message.Headers.All)
        {
            if (!string.Equals(header.Name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                text.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
            }
        }

        text.Append(HeaderNames.ContentLength).Append(": ").Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        var bytes = new byte[head.Length + message.Body.Length];
        head.CopyTo(bytes, 0);
        message.Body.Span.CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }
}
