using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// AES-CTR through libcrypto, keyed once; each packet sets its IV, which restarts the counter. libcrypto counts in
/// all 128 bits where SRTP counts in the low 16 (RFC 3711 §4.1.1), which is the same for the at most 2^16 blocks
/// of a packet since SRTP's IVs end in 16 zero bits.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time, as <see cref="SrtpSession"/> already requires.</remarks>
internal sealed unsafe class LibCryptoCounterMode : IDisposable
{
    private readonly CipherContextHandle context;

    public LibCryptoCounterMode(ReadOnlySpan<byte> key)
    {
        var cipher = key.Length switch
        {
            16 => LibCrypto.Aes128Ctr(),
            32 => LibCrypto.Aes256Ctr(),
            _ => throw new ArgumentException("AES-CTR takes a 16- or 32-byte key.", nameof(key)),
        };
        context = LibCrypto.CipherContextNew();
        fixed (byte* k = key)
        {
            if (context.IsInvalid || LibCrypto.CipherInit(context, cipher, 0, k, null, 1) != 1)
            {
                context.Dispose();
                throw new CryptographicException("libcrypto refused an AES-CTR key.");
            }
        }
    }

    /// <summary>XORs keystream from <paramref name="iv"/> onto <paramref name="data"/>; false only if libcrypto fails.</summary>
    public bool Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return true;
        }

        var added = false;
        try
        {
            context.DangerousAddRef(ref added);
            var ctx = context.DangerousGetHandle();
            int written;
            fixed (byte* v = iv, d = data)
            {
                return LibCrypto.SetIv(ctx, 0, 0, null, v, 1) == 1
                    && (data.Length <= LibCrypto.ShortLength
                        ? LibCrypto.CipherUpdateShort(ctx, d, &written, d, data.Length)
                        : LibCrypto.CipherUpdate(ctx, d, &written, d, data.Length)) == 1;
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
