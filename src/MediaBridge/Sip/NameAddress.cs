namespace MediaBridge.Sip;

/// <summary>
/// A name-addr or addr-spec with header parameters (From, To, Contact, Route; RFC 3261 §20.10).
/// Without angle brackets, parameters belong to the header, not the URI (§20, "Contact"), and the
/// URI may not contain ',', '?' or ';'.
/// </summary>
public sealed record NameAddress(string? DisplayName, SipUri Uri, IReadOnlyList<SipParameter> Parameters)
{
    public string? Tag => Parameter("tag");

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static bool TryParse(string value, out NameAddress address)
    {
        address = null!;
        var text = value.Trim();
        if (!HeaderText.QuotesBalanced(text))
        {
            return false;
        }

        string? display = null;
        string uriText;
        string rest;
        if (text.StartsWith('"'))
        {
            if (!HeaderText.TryUnquote(text, out var quoted, out var after) || !after.StartsWith('<'))
            {
                return false;
            }

            display = quoted;
            text = after;
        }

        var open = text.IndexOf('<', StringComparison.Ordinal);
        if (open >= 0)
        {
            var before = text[..open].Trim();
            if (before.Length > 0)
            {
                if (display is not null || !before.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).All(w => HeaderText.IsToken(w)))
                {
                    return false;
                }

                display = string.Join(' ', before.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            }

            var close = text.IndexOf('>', open);
            if (close < 0)
            {
                return false;
            }

            uriText = text[(open + 1)..close].Trim();
            rest = text[(close + 1)..].Trim();
        }
        else
        {
            var semicolon = text.IndexOf(';', StringComparison.Ordinal);
            uriText = (semicolon < 0 ? text : text[..semicolon]).Trim();
            rest = semicolon < 0 ? "" : text[semicolon..];
            if (uriText.AsSpan().IndexOfAny('?', ',') >= 0)
            {
                return false;
            }
        }

        if (!SipUri.TryParse(uriText, out var uri))
        {
            return false;
        }

        var parameters = new List<SipParameter>();
        if (rest.Length > 0)
        {
            if (rest[0] != ';' || !HeaderText.TryParseParameters(HeaderText.SplitTopLevel(rest[1..], ';'), unescape: false, out parameters))
            {
                return false;
            }
        }

        address = new NameAddress(display, uri, parameters);
        return true;
    }
}
