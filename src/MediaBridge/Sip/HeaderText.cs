using System.Text;

namespace MediaBridge.Sip;

/// <summary>
/// Lexical helpers for header values: splitting on separators outside quoted strings and angle
/// brackets, parameters with linear white space around '=' (RFC 3261 §7.3.1), quoted strings
/// with quoted-pairs (§25.1) and %HH escapes.
/// </summary>
internal static class HeaderText
{
    /// <summary>Splits on <paramref name="separator"/> outside quotes and &lt;&gt;; empty items are kept so callers can refuse them.</summary>
    public static List<string> SplitTopLevel(string value, char separator)
    {
        var items = new List<string>();
        var start = 0;
        var quoted = false;
        var angle = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '<')
            {
                angle++;
            }
            else if (c == '>' && angle > 0)
            {
                angle--;
            }
            else if (c == separator && angle == 0)
            {
                items.Add(value[start..i].Trim());
                start = i + 1;
            }
        }

        items.Add(value[start..].Trim());
        return items;
    }

    /// <summary>Whether every quoted string in the value is closed.</summary>
    public static bool QuotesBalanced(string value)
    {
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (quoted && value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == '"')
            {
                quoted = !quoted;
            }
        }

        return !quoted;
    }

    /// <summary>Parses <c>;a=b;c</c> segments (the text after the first ';'); any empty name fails.</summary>
    public static bool TryParseParameters(IEnumerable<string> segments, bool unescape, out List<SipParameter> parameters)
    {
        parameters = [];
        foreach (var raw in segments)
        {
            var segment = raw.Trim();
            var eq = segment.IndexOf('=');
            var name = (eq < 0 ? segment : segment[..eq]).Trim();
            if (name.Length == 0 || !IsToken(name) || (unescape && !TryUnescape(name, out name)))
            {
                return false;
            }

            string? value = null;
            if (eq >= 0)
            {
                value = segment[(eq + 1)..].Trim();
                if (value.Length == 0)
                {
                    return false;
                }

                if (value[0] == '"')
                {
                    if (!TryUnquote(value, out var unquoted, out var rest) || rest.Length > 0)
                    {
                        return false;
                    }

                    value = unquoted;
                }
                else if (unescape && !TryUnescape(value, out value))
                {
                    return false;
                }
            }

            parameters.Add(new SipParameter(name, value));
        }

        return true;
    }

    /// <summary>Reads a quoted string at the start of <paramref name="text"/>, resolving quoted-pairs.</summary>
    public static bool TryUnquote(string text, out string value, out string rest)
    {
        value = "";
        rest = text;
        if (text.Length == 0 || text[0] != '"')
        {
            return false;
        }

        var builder = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                builder.Append(text[++i]);
            }
            else if (c == '"')
            {
                value = builder.ToString();
                rest = text[(i + 1)..].Trim();
                return true;
            }
            else
            {
                builder.Append(c);
            }
        }

        return false;
    }

    /// <summary>Decodes %HH escapes once (RFC 3261 §19.1.2); a malformed escape fails rather than guessing.</summary>
    public static bool TryUnescape(string text, out string value)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            value = text;
            return true;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                {
                    value = text;
                    return false;
                }

                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else
            {
                // Only a whole surrogate pair is encoded as one; a lone surrogate becomes U+FFFD on its own.
                var pair = i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1]) ? 2 : 1;
                var n = Encoding.UTF8.GetBytes(text.AsSpan(i, pair), utf8);
                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }

                i += pair - 1;
            }
        }

        value = Encoding.UTF8.GetString([.. bytes]);
        return true;
    }

    /// <summary>RFC 3261 §25.1 token characters.</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
}
