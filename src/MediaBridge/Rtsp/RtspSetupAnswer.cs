using System.Globalization;

namespace MediaBridge.Rtsp;

/// <summary>What a client reads from a SETUP answer and an RTSP URL; none of it throws on what a server sends.</summary>
internal static class RtspSetupAnswer
{
    /// <summary>The Session header's id and its timeout parameter, when given and positive (RFC 2326 §12.37).</summary>
    public static (string Id, TimeSpan? Timeout) Session(string value)
    {
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        var timeout = parts.Skip(1).FirstOrDefault(p => p.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase));
        return timeout is not null && int.TryParse(timeout[8..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? (parts[0], TimeSpan.FromSeconds(seconds))
            : (parts[0], null);
    }

    /// <summary>The first channel of the Transport header's <c>interleaved=</c> range (RFC 2326 §12.39), when it is one a frame can name.</summary>
    public static int? InterleavedChannel(string? transport)
    {
        var part = transport?.Split(';', StringSplitOptions.TrimEntries).FirstOrDefault(p => p.StartsWith("interleaved=", StringComparison.OrdinalIgnoreCase));
        var first = part?[12..].Split('-')[0];
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var channel) && channel < 256 ? channel : null;
    }

    /// <summary>The host and port of an <c>rtsp://</c> URL, 554 when none is given.</summary>
    public static bool TryHostPort(string url, out string host, out int port)
    {
        (host, port) = ("", 554);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase) || uri.Host.Length == 0)
        {
            return false;
        }

        host = uri.Host;
        port = uri.IsDefaultPort || uri.Port <= 0 ? 554 : uri.Port;
        return true;
    }
}
