using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// The session keys of one protocol, SRTP or SRTCP, in one direction (RFC 3711 §4.3): AES-CM
/// and HMAC-SHA1, or AES-GCM, each with the session salt that goes into its IV.
/// </summary>
internal sealed class SrtpCryptoContext : IDisposable
{
    /// <summary>HMAC-SHA1 session authentication keys are 160 bits (RFC 3711 §8.2).</summary>
    public const int AuthenticationKeyLength = 20;

    private const int HmacLength = 20;
    private const int NonceLength = 12;

    private readonly AesCounterMode? counterMode;
    private readonly IncrementalHash? hmac;
    private readonly AesGcm? gcm;
    private readonly AesNiCounterMode? aesNiCounterMode;
    private readonly LibCryptoCounterMode? nativeCounterMode;
    private readonly LibCryptoHmacSha1? nativeHmac;
    private readonly LibCryptoGcm? nativeGcm;
    private readonly byte[] salt;
    private readonly int tagLength;

    // The salt in the first 14 bytes of an AES-CM IV, for building IVs in a register.
    private Vector128<byte> saltBlock;

    /// <param name="authenticationKey">Ignored for GCM, which authenticates with its cipher key.</param>
    public SrtpCryptoContext(SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authenticationKey)
        : this(profile, key, salt, authenticationKey, SrtpSession.DefaultCryptoProvider)
    {
    }

    /// <param name="provider"><see cref="SrtpCryptoProvider.LibCrypto"/> only where <see cref="LibCrypto.IsAvailable"/>.</param>
    public SrtpCryptoContext(SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authenticationKey, SrtpCryptoProvider provider)
    {
        if (provider == SrtpCryptoProvider.LibCrypto && !LibCrypto.IsAvailable)
        {
            throw new PlatformNotSupportedException($"{LibCrypto.Library} cannot be loaded here.");
        }

        this.salt = salt.ToArray();
        tagLength = SrtpProfiles.TagLength(profile);
        Provider = provider;
        var native = provider == SrtpCryptoProvider.LibCrypto;
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            if (native)
            {
                nativeGcm = new LibCryptoGcm(key, tagLength);
            }
            else
            {
                gcm = new AesGcm(key, tagLength);
            }

            return;
        }

        if (native)
        {
            if (AesNiCounterMode.IsSupported && key.Length == 16 && salt.Length <= AesCounterMode.BlockLength)
            {
                aesNiCounterMode = new AesNiCounterMode(key);
                Span<byte> block = stackalloc byte[AesCounterMode.BlockLength];
                block.Clear();
                salt.CopyTo(block);
                saltBlock = Vector128.Create((ReadOnlySpan<byte>)block);
                CryptographicOperations.ZeroMemory(block);
            }
            else
            {
                nativeCounterMode = new LibCryptoCounterMode(key);
            }

            nativeHmac = new LibCryptoHmacSha1(authenticationKey);
            return;
        }

        counterMode = new AesCounterMode(key);
        var authentication = authenticationKey.ToArray();
        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authentication);
        CryptographicOperations.ZeroMemory(authentication);
    }

    public SrtpCryptoProvider Provider { get; }

    /// <summary>Derives the three session keys from the label of the first (0x00 for SRTP, 0x03 for SRTCP).</summary>
    public static SrtpCryptoContext Derive(SrtpProfile profile, AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte encryptionLabel, SrtpCryptoProvider provider)
    {
        Span<byte> key = stackalloc byte[SrtpProfiles.KeyLength(profile)];
        Span<byte> salt = stackalloc byte[SrtpProfiles.SaltLength(profile)];
        Span<byte> authentication = stackalloc byte[profile == SrtpProfile.AeadAes128Gcm ? 0 : AuthenticationKeyLength];
        try
        {
            SrtpKeyDerivation.Derive(prf, masterSalt, encryptionLabel, key);
            SrtpKeyDerivation.Derive(prf, masterSalt, (byte)(encryptionLabel + 1), authentication);
            SrtpKeyDerivation.Derive(prf, masterSalt, (byte)(encryptionLabel + 2), salt);
            return new SrtpCryptoContext(profile, key, salt, authentication, provider);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(salt);
            CryptographicOperations.ZeroMemory(authentication);
        }
    }

    /// <summary>
    /// AES-CM en- or decryption in place. IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16),
    /// with the 48-bit SRTP packet index or the 31-bit SRTCP index (RFC 3711 §4.1.1, §3.4).
    /// False only if libcrypto fails.
    /// </summary>
    public bool ApplyKeystream(uint ssrc, ulong index, Span<byte> data)
    {
        if (aesNiCounterMode is not null)
        {
            // Bytes 4..7 the SSRC and 8..13 the index, big-endian, in two little-endian lanes.
            var block = Vector128.Create((ulong)BinaryPrimitives.ReverseEndianness(ssrc) << 32, BinaryPrimitives.ReverseEndianness(index << 16));
            aesNiCounterMode.Apply(block.AsByte() ^ saltBlock, data);
            return true;
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        iv.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[8..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(iv[10..], (uint)index);
        XorSalt(iv);
        if (nativeCounterMode is not null)
        {
            return nativeCounterMode.Apply(iv, data);
        }

        counterMode!.Apply(iv, data);
        return true;
    }

    /// <summary>Writes HMAC-SHA1(message || suffix), truncated to the tag length (RFC 3711 §4.2.1); false only if libcrypto fails.</summary>
    public bool Sign(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, Span<byte> tag)
    {
        Span<byte> hash = stackalloc byte[HmacLength];
        if (!Hash(message, suffix, hash))
        {
            return false;
        }

        hash[..tagLength].CopyTo(tag);
        return true;
    }

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> tag)
    {
        Span<byte> hash = stackalloc byte[HmacLength];
        return Hash(message, suffix, hash) && CryptographicOperations.FixedTimeEquals(hash[..tagLength], tag);
    }

    /// <summary>AES-GCM encryption in place, the tag written separately (RFC 7714 §5.2).</summary>
    public bool TrySeal(uint ssrc, ulong index, ReadOnlySpan<byte> associatedData, Span<byte> data, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(ssrc, index, nonce);
        if (nativeGcm is not null)
        {
            return nativeGcm.Seal(nonce, associatedData, data, tag);
        }

        try
        {
            gcm!.Encrypt(nonce, data, data, tag, associatedData);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>AES-GCM decryption in place; false when the tag does not match, leaving the data unspecified.</summary>
    public bool TryOpen(uint ssrc, ulong index, ReadOnlySpan<byte> associatedData, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Nonce(ssrc, index, nonce);
        if (nativeGcm is not null)
        {
            return nativeGcm.Open(nonce, associatedData, data, tag);
        }

        try
        {
            gcm!.Decrypt(nonce, data, tag, data, associatedData);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        counterMode?.Dispose();
        hmac?.Dispose();
        gcm?.Dispose();
        aesNiCounterMode?.Dispose();
        nativeCounterMode?.Dispose();
        nativeHmac?.Dispose();
        nativeGcm?.Dispose();
        CryptographicOperations.ZeroMemory(salt);
        saltBlock = default;
    }

    /// <summary>
    /// 0x0000 || SSRC || 48 bits of index, XOR the salt: the SRTP IV (ROC || SEQ, RFC 7714 §8.1)
    /// and the SRTCP IV (0x0000 || 0 || SRTCP index, §9.1) are both this shape.
    /// </summary>
    private void Nonce(uint ssrc, ulong index, Span<byte> nonce)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        XorSalt(nonce);
    }

    private void XorSalt(Span<byte> block)
    {
        for (var i = 0; i < salt.Length; i++)
        {
            block[i] ^= salt[i];
        }
    }

    private bool Hash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, Span<byte> hash)
    {
        if (nativeHmac is not null)
        {
            return nativeHmac.Compute(message, suffix, hash);
        }

        hmac!.AppendData(message);
        hmac.AppendData(suffix);
        hmac.GetHashAndReset(hash);
        return true;
    }
}
