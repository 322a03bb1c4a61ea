using System.Security.Cryptography;

namespace MediaBridge.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it: <c>a=fingerprint:sha-256 AB:CD:…</c> (RFC 8122 §5).
/// The hash function names are those of the IANA registry RFC 8122 §5 points to.
/// </summary>
public sealed record DtlsFingerprint(string Algorithm, byte[] Value)
{
    /// <summary>Reads the attribute's value; false for an unknown hash or malformed hex.</summary>
    public static bool TryParse(string text, out DtlsFingerprint fingerprint)
    {
        fingerprint = null!;
        var parts = text.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || HashLength(parts[0]) is not { } length)
        {
            return false;
        }

        var hex = parts[1].Trim().Split(':');
        if (hex.Length != length)
        {
            return false;
        }

        var value = new byte[length];
        for (var i = 0; i < length; i++)
        {
            if (hex[i].Length != 2 || !byte.TryParse(hex[i], System.Globalization.NumberStyles.HexNumber, null, out value[i]))
            {
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(parts[0].ToLowerInvariant(), value);
        return true;
    }

    public static DtlsFingerprint Of(ReadOnlySpan<byte> der, string algorithm)
    {
        var value = algorithm.ToLowerInvariant() switch
        {
            "sha-1" => SHA1.HashData(der),
            "sha-256" => SHA256.HashData(der),
            "sha-384" => SHA384.HashData(der),
            "sha-512" => SHA512.HashData(der),
            _ => throw new ArgumentException($"Unsupported fingerprint hash '{algorithm}'.", nameof(algorithm)),
        };
        return new DtlsFingerprint(algorithm.ToLowerInvariant(), value);
    }

    /// <summary>Whether a certificate in DER has this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> der) =>
        CryptographicOperations.FixedTimeEquals(Of(der, Algorithm).Value, Value);

    public override string ToString() => $"{Algorithm} {Convert.ToHexString(Value).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b)}";

    private static int? HashLength(string algorithm) => algorithm.ToLowerInvariant() switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };
}
