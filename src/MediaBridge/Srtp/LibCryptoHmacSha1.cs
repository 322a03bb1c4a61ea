using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// HMAC-SHA1 through libcrypto, keyed once: each MAC restarts from the inner and outer states saved at keying, so a
/// packet costs its own hashing only.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time, as <see cref="SrtpSession"/> already requires.</remarks>
internal sealed unsafe class LibCryptoHmacSha1 : IDisposable
{
    public const int HashLength = 20;

    private readonly HmacContextHandle context;

    public LibCryptoHmacSha1(ReadOnlySpan<byte> key)
    {
        context = LibCrypto.HmacContextNew();
        fixed (byte* k = key)
        {
            if (context.IsInvalid || LibCrypto.HmacInit(context, k, key.Length, LibCrypto.Sha1(), 0) != 1)
            {
                context.Dispose();
                throw new CryptographicException("libcrypto refused an HMAC-SHA1 key.");
            }
        }
    }

    /// <summary>Writes HMAC-SHA1(<paramref name="message"/> || <paramref name="suffix"/>) to 20 bytes; false only if libcrypto fails.</summary>
    public bool Compute(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, Span<byte> hash)
    {
        if (hash.Length < HashLength)
        {
            throw new ArgumentException("HMAC-SHA1 writes 20 bytes.", nameof(hash));
        }

        var added = false;
        try
        {
            context.DangerousAddRef(ref added);
            var ctx = context.DangerousGetHandle();
            uint written;
            fixed (byte* m = message, s = suffix, h = hash)
            {
                return LibCrypto.HmacRestart(ctx, null, 0, 0, 0) == 1
                    && (message.IsEmpty || (message.Length <= LibCrypto.ShortLength
                        ? LibCrypto.HmacUpdateShort(ctx, m, (nuint)message.Length)
                        : LibCrypto.HmacUpdate(ctx, m, (nuint)message.Length)) == 1)
                    && (suffix.IsEmpty || LibCrypto.HmacUpdateShort(ctx, s, (nuint)suffix.Length) == 1)
                    && LibCrypto.HmacFinal(ctx, h, &written) == 1;
            }
        }
        finally
        {
            if (added)
            {
                context.DangerousRelease();
            }
        }
    }

    public void Dispose() => context.Dispose();
}
