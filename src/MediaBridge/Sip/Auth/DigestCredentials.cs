namespace MediaBridge.Sip.Auth;

/// <summary>The fields of a Digest Authorization header (RFC 3261 §25.1 digest-response).</summary>
public sealed record DigestCredentials(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    string? Algorithm,
    string? Cnonce,
    string? Qop,
    string? NonceCount,
    string? Opaque)
{
    /// <summary>Reads <c>Digest name=value, …</c>; any other scheme, or a missing field, gives false.</summary>
    public static bool TryParse(string header, out DigestCredentials credentials)
    {
        credentials = null!;
        var text = header.Trim();
        if (!text.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || text.Length <= 6 || !char.IsWhiteSpace(text[6]))
        {
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in HeaderText.SplitTopLevel(text[6..], ','))
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var name = item[..eq].Trim();
            var value = item[(eq + 1)..].Trim();
            if (value.StartsWith('"'))
            {
                if (!HeaderText.TryUnquote(value, out value, out var rest) || rest.Length > 0)
                {
                    return false;
                }
            }

            if (!fields.TryAdd(name, value))
            {
                return false;
            }
        }

        if (!fields.TryGetValue("username", out var username) || !fields.TryGetValue("realm", out var realm)
            || !fields.TryGetValue("nonce", out var nonce) || !fields.TryGetValue("uri", out var uri)
            || !fields.TryGetValue("response", out var response))
        {
            return false;
        }

        credentials = new DigestCredentials(
            username, realm, nonce, uri, response,
            fields.GetValueOrDefault("algorithm"), fields.GetValueOrDefault("cnonce"), fields.GetValueOrDefault("qop"),
            fields.GetValueOrDefault("nc"), fields.GetValueOrDefault("opaque"));
        return true;
    }
}
