using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MediaBridge.Sip.Auth;

/// <summary>
/// SIP digest authentication for the registrar (RFC 3261 §22.4 with RFC 7616 qop=auth and the
/// RFC 8760 algorithms). Challenges offer SHA-256 first and MD5 second. An unknown user is checked
/// against a random password, so its answer and its cost match a wrong password.
/// </summary>
public sealed class DigestAuthenticator(string realm, NonceIssuer nonces, Func<string, string?> passwordOf, Func<string, IReadOnlyList<DigestAlgorithm>>? algorithmsOf = null)
{
    /// <summary>What a user is offered unless configured otherwise: SHA-256 first (RFC 8760 §2.4), then MD5.</summary>
    public static readonly IReadOnlyList<DigestAlgorithm> DefaultAlgorithms = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    private readonly string decoyPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public string Realm { get; } = realm;

    /// <summary>
    /// The WWW-Authenticate values to send to <paramref name="user"/>, strongest first. A terminal
    /// configured for MD5 only is offered only MD5: some older stacks give up on the first challenge
    /// if its algorithm is unknown to them instead of moving to the next.
    /// </summary>
    public IReadOnlyList<string> Challenge(string? user = null, bool stale = false)
    {
        var nonce = nonces.Issue();
        var staleParam = stale ? ", stale=true" : "";
        return [.. AlgorithmsFor(user).Select(a => $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", algorithm={a.Name()}, qop=\"auth\"{staleParam}")];
    }

    public IReadOnlyList<DigestAlgorithm> AlgorithmsFor(string? user) =>
        user is not null && algorithmsOf?.Invoke(user) is { Count: > 0 } configured ? configured : DefaultAlgorithms;

    /// <summary>Checks the request's Authorization headers; returns the authenticated user name when accepted.</summary>
    public DigestVerdict Verify(string method, IEnumerable<string> authorizationHeaders, out string? user)
    {
        user = null;
        var credentials = authorizationHeaders
            .Select(h => DigestCredentials.TryParse(h, out var c) ? c : null)
            .FirstOrDefault(c => c is not null && c.Realm == Realm);
        if (credentials is null)
        {
            return DigestVerdict.Missing;
        }

        var check = nonces.Check(credentials.Nonce);
        var password = passwordOf(credentials.Username);
        var matches = DigestAlgorithms.TryParse(credentials.Algorithm, out var algorithm)
            && AlgorithmsFor(credentials.Username).Contains(algorithm)
            && credentials.Qop == "auth"
            && credentials.Cnonce is { Length: > 0 }
            && Matches(algorithm, method, credentials, password ?? decoyPassword)
            && password is not null;
        if (!matches || check == NonceCheck.Invalid)
        {
            return DigestVerdict.Refused;
        }

        if (check == NonceCheck.Stale)
        {
            return DigestVerdict.Stale;
        }

        if (!uint.TryParse(credentials.NonceCount, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var count)
            || credentials.NonceCount!.Length != 8
            || !nonces.TryUseCount(credentials.Nonce, count))
        {
            return DigestVerdict.Refused;
        }

        user = credentials.Username;
        return DigestVerdict.Accepted;
    }

    /// <summary>response = H(H(user:realm:password) : nonce : nc : cnonce : qop : H(method:uri)), RFC 7616 §3.4.1.</summary>
    public static string ExpectedResponse(DigestAlgorithm algorithm, string method, string user, string realm, string password, string nonce, string uri, string nc, string cnonce, string qop)
    {
        var ha1 = algorithm.Hash($"{user}:{realm}:{password}");
        var ha2 = algorithm.Hash($"{method}:{uri}");
        return algorithm.Hash($"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
    }

    private static bool Matches(DigestAlgorithm algorithm, string method, DigestCredentials c, string password)
    {
        var expected = ExpectedResponse(algorithm, method, c.Username, c.Realm, password, c.Nonce, c.Uri, c.NonceCount ?? "", c.Cnonce ?? "", c.Qop ?? "");
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(c.Response.ToLowerInvariant()));
    }
}
