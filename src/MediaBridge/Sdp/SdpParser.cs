using System.Globalization;

namespace MediaBridge.Sdp;

/// <summary>
/// Parses SDP (RFC 4566 §5) without throwing: <c>type=value</c> lines in the order the grammar
/// requires for v, o, s, and t before any m=. Unknown line types are ignored, as §5 asks. Both
/// CRLF and bare LF line ends are accepted, as many stacks send either.
/// </summary>
public static class SdpParser
{
    public static bool TryParse(string text, out SessionDescription description, out string error)
    {
        description = null!;
        error = "";
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0).ToList();
        if (lines.Count == 0 || lines[0] != "v=0")
        {
            error = "SDP must start with v=0";
            return false;
        }

        SdpOrigin? origin = null;
        string? name = null;
        string? timing = null;
        SdpConnection? connection = null;
        var bandwidths = new List<string>();
        var attributes = new List<SdpAttribute>();
        var media = new List<MediaDescription>();
        MediaBuilder? current = null;

        foreach (var line in lines.Skip(1))
        {
            if (line.Length < 2 || line[1] != '=')
            {
                error = $"Malformed SDP line '{Shorten(line)}'";
                return false;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'o' when current is null:
                    if (!TryOrigin(value, out origin))
                    {
                        error = "Malformed o= line";
                        return false;
                    }

                    break;
                case 's' when current is null:
                    name = value;
                    break;
                case 't' when current is null:
                    timing ??= value;
                    break;
                case 'c':
                    if (!TryConnection(value, out var c))
                    {
                        error = "Malformed c= line";
                        return false;
                    }

                    if (current is null)
                    {
                        connection = c;
                    }
                    else
                    {
                        current.Connection = c;
                    }

                    break;
                case 'b':
                    (current?.Bandwidths ?? bandwidths).Add(value);
                    break;
                case 'a':
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    var attribute = colon < 0 ? new SdpAttribute(value, null) : new SdpAttribute(value[..colon], value[(colon + 1)..]);
                    (current?.Attributes ?? attributes).Add(attribute);
                    break;
                case 'm':
                    if (current is not null)
                    {
                        media.Add(current.Build());
                    }

                    if (!MediaBuilder.TryStart(value, out current))
                    {
                        error = $"Malformed m= line '{Shorten(value)}'";
                        return false;
                    }

                    break;
            }
        }

        if (current is not null)
        {
            media.Add(current.Build());
        }

        if (origin is null || name is null || timing is null)
        {
            error = "SDP needs o=, s= and t= lines";
            return false;
        }

        if (connection is null && media.Any(m => m.Connection is null && m.Port != 0))
        {
            error = "Every active stream needs a c= line, at session or media level";
            return false;
        }

        description = new SessionDescription(origin, name, connection, bandwidths, timing, attributes, media);
        return true;
    }

    private static bool TryOrigin(string value, out SdpOrigin origin)
    {
        origin = null!;
        var f = value.Split(' ');
        if (f.Length != 6 || !ulong.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        origin = new SdpOrigin(f[0], f[1], version, f[3], f[4], f[5]);
        return true;
    }

    private static bool TryConnection(string value, out SdpConnection connection)
    {
        connection = null!;
        var f = value.Split(' ');
        if (f.Length != 3 || f[0] != "IN" || f[1] is not ("IP4" or "IP6") || f[2].Length == 0)
        {
            return false;
        }

        connection = new SdpConnection(f[0], f[1], f[2].Split('/')[0]);
        return true;
    }

    private static string Shorten(string line) => line.Length > 40 ? line[..40] + "…" : line;

    private sealed class MediaBuilder
    {
        private string media = "";
        private int port;
        private string protocol = "";
        private List<string> formats = [];

        public SdpConnection? Connection { get; set; }

        public List<string> Bandwidths { get; } = [];

        public List<SdpAttribute> Attributes { get; } = [];

        public static bool TryStart(string value, out MediaBuilder builder)
        {
            builder = null!;
            var f = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || !int.TryParse(f[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                return false;
            }

            builder = new MediaBuilder { media = f[0], port = port, protocol = f[2], formats = [.. f[3..]] };
            return true;
        }

        public MediaDescription Build() => new(media, port, protocol, formats, Connection, Bandwidths, Attributes);
    }
}
