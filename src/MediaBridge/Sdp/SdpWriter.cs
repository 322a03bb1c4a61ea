using System.Globalization;
using System.Text;

namespace MediaBridge.Sdp;

/// <summary>Writes SDP with CRLF line ends in the order RFC 4566 §5 requires.</summary>
public static class SdpWriter
{
    public static string Write(SessionDescription d)
    {
        var text = new StringBuilder();
        void Line(char type, string value) => text.Append(type).Append('=').Append(value).Append("\r\n");
        Line('v', "0");
        Line('o', d.Origin.ToString());
        Line('s', d.SessionName);
        if (d.Connection is { } c)
        {
            Line('c', c.ToString());
        }

        d.Bandwidths.ToList().ForEach(b => Line('b', b));
        Line('t', d.Timing);
        d.Attributes.ToList().ForEach(a => Line('a', a.ToString()));
        foreach (var m in d.Media)
        {
            Line('m', string.Create(CultureInfo.InvariantCulture, $"{m.Media} {m.Port} {m.Protocol} {string.Join(' ', m.Formats)}"));
            if (m.Connection is { } mc)
            {
                Line('c', mc.ToString());
            }

            m.Bandwidths.ToList().ForEach(b => Line('b', b));
            m.Attributes.ToList().ForEach(a => Line('a', a.ToString()));
        }

        return text.ToString();
    }
}
