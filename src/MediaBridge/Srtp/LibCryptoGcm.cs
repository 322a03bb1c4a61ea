using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// AES-128-GCM through libcrypto with one context per direction, keyed once; each packet only sets its
/// 96-bit nonce, so nothing is allocated or re-keyed per packet.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time, as <see cref="SrtpSession"/> already requires.</remarks>
internal sealed unsafe class LibCryptoGcm : IDisposable
{
    private const int NonceLength = 12;

    private readonly CipherContextHandle encryptor;
    private readonly CipherContextHandle decryptor;
    private readonly int tagLength;

    public LibCryptoGcm(ReadOnlySpan<byte> key, int tagLength)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("AES-128-GCM takes a 16-byte key.", nameof(key));
        }

        this.tagLength = tagLength;
        encryptor = Create(key, encrypt: 1);
        try
        {
            decryptor = Create(key, encrypt: 0);
        }
        catch
        {
            encryptor.Dispose();
            throw;
        }
    }

    /// <summary>Encrypts <paramref name="data"/> in place and writes the tag; false only if libcrypto fails.</summary>
    public bool Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, Span<byte> tag)
    {
        fixed (byte* t = tag)
        {
            return Run(encryptor, seal: true, nonce, associatedData, data, t);
        }
    }

    /// <summary>Decrypts <paramref name="data"/> in place; false when the tag does not match, leaving the data unspecified.</summary>
    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        fixed (byte* t = tag)
        {
            return Run(decryptor, seal: false, nonce, associatedData, data, t);
        }
    }

    public void Dispose()
    {
        encryptor.Dispose();
        decryptor.Dispose();
    }

    /// <summary>
    /// One packet through a keyed context: the nonce, the associated data, the data in place, then the tag,
    /// read out after sealing, or set before the final step of opening, which checks it.
    /// </summary>
    private bool Run(CipherContextHandle handle, bool seal, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> associatedData, Span<byte> data, byte* tag)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var context = handle.DangerousGetHandle();
            int written;
            fixed (byte* n = nonce, a = associatedData, d = data)
            {
                if (LibCrypto.SetIv(context, 0, 0, null, n, seal ? 1 : 0) != 1 || !Update(context, a, associatedData.Length, d, data.Length))
                {
                    return false;
                }

                return seal
                    ? LibCrypto.CipherFinal(context, d + data.Length, &written) == 1 && LibCrypto.CipherControl(context, LibCrypto.GcmGetTag, tagLength, tag) == 1
                    : LibCrypto.CipherControl(context, LibCrypto.GcmSetTag, tagLength, tag) == 1 && LibCrypto.CipherFinal(context, d + data.Length, &written) == 1;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static CipherContextHandle Create(ReadOnlySpan<byte> key, int encrypt)
    {
        var context = LibCrypto.CipherContextNew();
        if (context.IsInvalid)
        {
            context.Dispose();
            throw new CryptographicException("EVP_CIPHER_CTX_new failed.");
        }

        fixed (byte* k = key)
        {
            if (LibCrypto.CipherInit(context, LibCrypto.Aes128Gcm(), 0, null, null, encrypt) != 1
                || LibCrypto.CipherControl(context, LibCrypto.GcmSetIvLength, NonceLength, null) != 1
                || LibCrypto.CipherInit(context, 0, 0, k, null, encrypt) != 1)
            {
                context.Dispose();
                throw new CryptographicException("libcrypto refused an AES-128-GCM key.");
            }
        }

        return context;
    }

    /// <summary>Associated data (null output) then the data in place; empty parts are skipped.</summary>
    private static bool Update(nint context, byte* associated, int associatedLength, byte* data, int dataLength)
    {
        int written;
        if (associatedLength > 0 && LibCrypto.CipherUpdateShort(context, null, &written, associated, associatedLength) != 1)
        {
            return false;
        }

        if (dataLength == 0)
        {
            return true;
        }

        return (dataLength <= LibCrypto.ShortLength
            ? LibCrypto.CipherUpdateShort(context, data, &written, data, dataLength)
            : LibCrypto.CipherUpdate(context, data, &written, data, dataLength)) == 1;
    }
}
