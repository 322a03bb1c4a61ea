using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MediaBridge.Sip.Auth;

/// <summary>
/// Stateless nonces: issue time and random bits, signed with a key only this bridge holds, so any
/// bridge instance sharing the key can check them. Nonce-counts are remembered per nonce while it
/// lives, and each must be higher than the last (RFC 7616 §3.4.5), which defeats replay.
/// </summary>
public sealed class NonceIssuer(byte[] key, TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (uint Count, DateTimeOffset Expires)> counts = new(StringComparer.Ordinal);

    public TimeSpan Lifetime { get; } = lifetime;

    public string Issue()
    {
        Span<byte> nonce = stackalloc byte[32];
        BinaryPrimitives.WriteInt64BigEndian(nonce, time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[8..16]);
        HMACSHA256.HashData(key, nonce[..16])[..16].CopyTo(nonce[16..]);
        return Convert.ToBase64String(nonce).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public NonceCheck Check(string nonce)
    {
        Span<byte> bytes = stackalloc byte[33];
        var padded = nonce.Replace('-', '+').Replace('_', '/') + "=";
        if (!Convert.TryFromBase64String(padded, bytes, out var length) || length != 32)
        {
            return NonceCheck.Invalid;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, bytes[..16], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..16], bytes[16..32]))
        {
            return NonceCheck.Invalid;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        var age = time.GetUtcNow() - issued;
        return age < TimeSpan.Zero ? NonceCheck.Invalid : age > Lifetime ? NonceCheck.Stale : NonceCheck.Fresh;
    }

    /// <summary>Accepts a nonce-count only if it is above every count seen with this nonce.</summary>
    public bool TryUseCount(string nonce, uint count)
    {
        var now = time.GetUtcNow();
        if (counts.Count > 10_000)
        {
            foreach (var expired in counts.Where(c => c.Value.Expires < now).Select(c => c.Key).ToList())
            {
                counts.TryRemove(expired, out _);
            }
        }

        while (true)
        {
            if (!counts.TryGetValue(nonce, out var seen))
            {
                if (counts.TryAdd(nonce, (count, now + Lifetime)))
                {
                    return true;
                }

                continue;
            }

            if (count <= seen.Count)
            {
                return false;
            }

            if (counts.TryUpdate(nonce, (count, seen.Expires), seen))
            {
                return true;
            }
        }
    }
}
