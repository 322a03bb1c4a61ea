using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;

namespace MediaBridge.Rtsp;

/// <summary>
/// Answers a camera's challenge (RFC 2326 §D.2 via RFC 2617 and RFC 7616): Digest when offered
/// (SHA-256 before MD5, qop=auth when the server asks for it), otherwise Basic. After the first 401,
/// every request carries credentials for its own method and URI.
/// </summary>
public sealed class RtspAuthenticator(string user, string password)
{
    private string? realm;
    private string? nonce;
    private string? opaque;
    private bool qop;
    private bool basic;
    private DigestAlgorithm algorithm;
    private int count;

    /// <summary>Whether a challenge has been taken, so requests carry an Authorization header.</summary>
    public bool Ready => basic || nonce is not null;

    /// <summary>Takes the challenges of a 401; false when none is one this client can answer.</summary>
    public bool Take(IEnumerable<string> challenges)
    {
        var list = challenges.ToList();
        var digests = list.Where(c => c.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
            .Select(c => Parameters(c[7..]))
            .Select(p => (Parameters: p, Known: DigestAlgorithms.TryParse(p.GetValueOrDefault("algorithm"), out var a), Algorithm: a))
            .Where(d => d.Known && d.Parameters.ContainsKey("nonce"))
            .OrderBy(d => d.Algorithm)
            .ToList();
        if (digests.Count > 0)
        {
            var (p, _, a) = digests[0];
            (realm, nonce, opaque, algorithm, basic, count) = (p.GetValueOrDefault("realm") ?? "", p["nonce"], p.GetValueOrDefault("opaque"), a, false, 0);
            qop = p.GetValueOrDefault("qop")?.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase)) ?? false;
            return true;
        }

        if (list.Any(c => c.StartsWith("Basic", StringComparison.OrdinalIgnoreCase)))
        {
            basic = true;
            return true;
        }

        return false;
    }

    /// <summary>The Authorization value for a request, or null before any challenge.</summary>
    public string? Authorization(string method, string uri)
    {
        if (basic)
        {
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        if (nonce is null)
        {
            return null;
        }

        var ha1 = algorithm.Hash($"{user}:{realm}:{password}");
        var ha2 = algorithm.Hash($"{method}:{uri}");
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\"");
        if (qop)
        {
            var nc = (++count).ToString("x8", CultureInfo.InvariantCulture);
            var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            text.Append(CultureInfo.InvariantCulture, $", response=\"{algorithm.Hash($"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $", response=\"{algorithm.Hash($"{ha1}:{nonce}:{ha2}")}\"");
        }

        text.Append(CultureInfo.InvariantCulture, $", algorithm={algorithm.Name()}");
        if (opaque is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", opaque=\"{opaque}\"");
        }

        return text.ToString();
    }

    private static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in HeaderText.SplitTopLevel(text, ','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..].Trim();
            result[part[..eq].Trim()] = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        }

        return result;
    }
}
