using System.Globalization;
using System.Net;

namespace MediaBridge.Sip;

/// <summary>
/// A URI as SIP carries it. <c>sip:</c> and <c>sips:</c> URIs are parsed per RFC 3261 §19.1.1 with
/// escapes decoded exactly once (§19.1.2); other schemes (tel, http, isbn…) keep their text whole.
/// </summary>
public sealed class SipUri
{
    private SipUri(string scheme, string text)
    {
        Scheme = scheme;
        Text = text;
    }

    /// <summary>Lower-cased scheme.</summary>
    public string Scheme { get; }

    /// <summary>The URI as it was written.</summary>
    public string Text { get; }

    public bool IsSip => Scheme is "sip" or "sips";

    public string? User { get; private set; }

    public string? Password { get; private set; }

    public string Host { get; private set; } = "";

    public int? Port { get; private set; }

    public IReadOnlyList<SipParameter> Parameters { get; private set; } = [];

    /// <summary>Header fields embedded after '?' (RFC 3261 §19.1.1), decoded.</summary>
    public IReadOnlyList<SipParameter> Headers { get; private set; } = [];

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public override string ToString() => Text;

    public static bool TryParse(string text, out SipUri uri)
    {
        uri = null!;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)) || text.Any(char.IsWhiteSpace))
        {
            return false;
        }

        var scheme = text[..colon].ToLowerInvariant();
        var parsed = new SipUri(scheme, text);
        if (!parsed.IsSip)
        {
            uri = parsed;
            return colon + 1 < text.Length;
        }

        var rest = text[(colon + 1)..];

        // The user part may hold '?', ';' and '/' but never a bare '@' (§25.1 user-unreserved), so the
        // first '@' ends it; embedded headers start at the first '?' after that.
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var question = rest.IndexOf('?', at + 1);
        if (question >= 0)
        {
            if (!TryParseHeaders(rest[(question + 1)..], out var headers))
            {
                return false;
            }

            parsed.Headers = headers;
            rest = rest[..question];
        }

        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var passwordColon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = passwordColon < 0 ? userInfo : userInfo[..passwordColon];
            if (user.Length == 0 || !HeaderText.TryUnescape(user, out var decodedUser))
            {
                return false;
            }

            parsed.User = decodedUser;
            if (passwordColon >= 0)
            {
                if (!HeaderText.TryUnescape(userInfo[(passwordColon + 1)..], out var password))
                {
                    return false;
                }

                parsed.Password = password;
            }
        }

        var segments = rest.Split(';');
        if (!TryParseHostPort(segments[0], out var host, out var port)
            || !HeaderText.TryParseParameters(segments.Skip(1), unescape: true, out var parameters))
        {
            return false;
        }

        parsed.Host = host;
        parsed.Port = port;
        parsed.Parameters = parameters;
        uri = parsed;
        return true;
    }

    /// <summary>host [":" port] where host is a hostname, an IPv4 address or a bracketed IPv6 reference.</summary>
    public static bool TryParseHostPort(string text, out string host, out int? port)
    {
        host = "";
        port = null;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = text[..(close + 1)];
            portText = text[(close + 1)..];
            if (portText.Length > 0 && portText[0] != ':')
            {
                return false;
            }
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? "" : text[colon..];
            if (!IsHostName(host))
            {
                return false;
            }
        }

        if (portText.Length > 0)
        {
            if (!int.TryParse(portText.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                return false;
            }

            port = p;
        }

        return host.Length > 0;
    }

    private static bool TryParseHeaders(string text, out List<SipParameter> headers)
    {
        headers = [];
        foreach (var pair in text.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !HeaderText.TryUnescape(pair[..eq], out var name) || !HeaderText.TryUnescape(pair[(eq + 1)..], out var value))
            {
                return false;
            }

            headers.Add(new SipParameter(name, value));
        }

        return true;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (scheme.IsEmpty || !char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostName(string host)
    {
        if (host.Length == 0 || host.Length > 255 || host.StartsWith('.') || host.StartsWith('-'))
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
