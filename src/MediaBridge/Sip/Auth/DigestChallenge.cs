using System.Globalization;

namespace MediaBridge.Sip.Auth;

/// <summary>
/// A Digest challenge from a registrar or proxy (WWW-Authenticate or Proxy-Authenticate, RFC 3261 §22.4,
/// RFC 7616 §3.3), and the Authorization a client answers it with. Only challenges this side can answer
/// parse: algorithm MD5 or SHA-256, and qop absent (RFC 2069 style) or offering "auth".
/// </summary>
public sealed record DigestChallenge(string Realm, string Nonce, DigestAlgorithm Algorithm, bool QopAuth, bool Stale, string? Opaque)
{
    public static bool TryParse(string header, out DigestChallenge challenge)
    {
        challenge = null!;
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

            var value = item[(eq + 1)..].Trim();
            if (value.StartsWith('"') && (!HeaderText.TryUnquote(value, out value, out var rest) || rest.Length > 0))
            {
                return false;
            }

            if (!fields.TryAdd(item[..eq].Trim(), value))
            {
                return false;
            }
        }

        if (!fields.TryGetValue("realm", out var realm) || !fields.TryGetValue("nonce", out var nonce) || nonce.Length == 0
            || !DigestAlgorithms.TryParse(fields.GetValueOrDefault("algorithm"), out var algorithm))
        {
            return false;
        }

        var qopAuth = false;
        if (fields.TryGetValue("qop", out var qop))
        {
            qopAuth = qop.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase));
            if (!qopAuth)
            {
                return false;
            }
        }

        var stale = fields.TryGetValue("stale", out var s) && s.Equals("true", StringComparison.OrdinalIgnoreCase);
        challenge = new DigestChallenge(realm, nonce, algorithm, qopAuth, stale, fields.GetValueOrDefault("opaque"));
        return true;
    }

    /// <summary>The challenge to answer among several: SHA-256 before MD5 (RFC 8760 §2.4), then the first offered.</summary>
    public static DigestChallenge? Pick(IEnumerable<string> headers) =>
        headers.Select(h => TryParse(h, out var c) ? c : null).OfType<DigestChallenge>()
            .OrderBy(c => c.Algorithm == DigestAlgorithm.Sha256 ? 0 : 1)
            .FirstOrDefault();

    /// <summary>The Authorization (or Proxy-Authorization) value answering this challenge for one request.</summary>
    public string Answer(string method, string uri, string user, string password, string cnonce, uint nonceCount)
    {
        var ha1 = Algorithm.Hash($"{user}:{Realm}:{password}");
        var ha2 = Algorithm.Hash($"{method}:{uri}");
        var opaque = Opaque is null ? "" : $", opaque=\"{Opaque}\"";
        if (!QopAuth)
        {
            var plain = Algorithm.Hash($"{ha1}:{Nonce}:{ha2}");
            return $"Digest username=\"{user}\", realm=\"{Realm}\", nonce=\"{Nonce}\", uri=\"{uri}\", response=\"{plain}\", algorithm={Algorithm.Name()}{opaque}";
        }

        var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        var response = Algorithm.Hash($"{ha1}:{Nonce}:{nc}:{cnonce}:auth:{ha2}");
        return $"Digest username=\"{user}\", realm=\"{Realm}\", nonce=\"{Nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={Algorithm.Name()}, cnonce=\"{cnonce}\", qop=auth, nc={nc}{opaque}";
    }
}
