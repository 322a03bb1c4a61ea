using System.Runtime.InteropServices;

namespace MediaBridge.Srtp;

/// <summary>
/// The entry points of the system OpenSSL 3 libcrypto (Debian's libssl3) that SRTP uses, with the constants from
/// its evp.h that go with them. Buffers pass as pointers pinned by the caller so no call allocates.
/// </summary>
/// <remarks>
/// The calls that only set an IV, add a few bytes of associated data, finish or read a tag do a bounded, small amount
/// of work without blocking or calling back, so they skip the GC transition, which would otherwise cost as much as
/// the work; the calls that run over a whole payload keep it.
/// </remarks>
internal static unsafe partial class LibCrypto
{
    public const string Library = "libcrypto.so.3";

    public const int GcmSetIvLength = 0x9;
    public const int GcmGetTag = 0x10;
    public const int GcmSetTag = 0x11;

    /// <summary>An MTU-sized packet: AES-NI gets through it well under a microsecond.</summary>
    public const int ShortLength = 1500;

    /// <summary>Bytes of OpenSSL's SHA_CTX: h0..h4, Nl, Nh, data[16] and num, all 32-bit.</summary>
    public const int Sha1StateLength = 96;

    private static readonly Lazy<bool> Usable = new(Probe);

    private static readonly Lazy<bool> Sha1Usable = new(ProbeSha1);

    /// <summary>True once libcrypto has loaded and encrypted one block correctly; checked once per process.</summary>
    public static bool IsAvailable => Usable.Value;

    /// <summary>
    /// True where libcrypto also exports the low-level SHA-1 functions (deprecated in OpenSSL 3 but still there) and
    /// they hash the FIPS 180 "abc" vector right.
    /// </summary>
    public static bool HasSha1Blocks => Sha1Usable.Value;

    [LibraryImport(Library, EntryPoint = "EVP_aes_128_gcm")]
    public static partial nint Aes128Gcm();

    [LibraryImport(Library, EntryPoint = "EVP_aes_128_ctr")]
    public static partial nint Aes128Ctr();

    [LibraryImport(Library, EntryPoint = "EVP_aes_256_ctr")]
    public static partial nint Aes256Ctr();

    [LibraryImport(Library, EntryPoint = "EVP_sha1")]
    public static partial nint Sha1();

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_new")]
    public static partial CipherContextHandle CipherContextNew();

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_free")]
    public static partial void CipherContextFree(nint context);

    [LibraryImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    public static partial int CipherInit(CipherContextHandle context, nint cipher, nint engine, byte* key, byte* iv, int encrypt);

    /// <summary>With a null cipher and key, sets only the IV of a context already keyed, restarting its counter.</summary>
    [LibraryImport(Library, EntryPoint = "EVP_CipherInit_ex")]
    [SuppressGCTransition]
    public static partial int SetIv(nint context, nint cipher, nint engine, byte* key, byte* iv, int encrypt);

    [LibraryImport(Library, EntryPoint = "EVP_CipherUpdate")]
    public static partial int CipherUpdate(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    /// <summary>For associated data (with a null output) and for data no longer than <see cref="ShortLength"/>.</summary>
    [LibraryImport(Library, EntryPoint = "EVP_CipherUpdate")]
    [SuppressGCTransition]
    public static partial int CipherUpdateShort(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library, EntryPoint = "EVP_CipherFinal_ex")]
    [SuppressGCTransition]
    public static partial int CipherFinal(nint context, byte* output, int* outputLength);

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    public static partial int CipherControl(CipherContextHandle context, int type, int argument, byte* pointer);

    [LibraryImport(Library, EntryPoint = "EVP_CIPHER_CTX_ctrl")]
    [SuppressGCTransition]
    public static partial int CipherControl(nint context, int type, int argument, byte* pointer);

    [LibraryImport(Library, EntryPoint = "HMAC_CTX_new")]
    public static partial HmacContextHandle HmacContextNew();

    [LibraryImport(Library, EntryPoint = "HMAC_CTX_free")]
    public static partial void HmacContextFree(nint context);

    [LibraryImport(Library, EntryPoint = "HMAC_Init_ex")]
    public static partial int HmacInit(HmacContextHandle context, byte* key, int keyLength, nint digest, nint engine);

    /// <summary>With a null key and digest, starts a new MAC under the key already set, from its saved inner state.</summary>
    [LibraryImport(Library, EntryPoint = "HMAC_Init_ex")]
    [SuppressGCTransition]
    public static partial int HmacRestart(nint context, byte* key, int keyLength, nint digest, nint engine);

    [LibraryImport(Library, EntryPoint = "HMAC_Update")]
    public static partial int HmacUpdate(nint context, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "HMAC_Update")]
    [SuppressGCTransition]
    public static partial int HmacUpdateShort(nint context, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "HMAC_Final")]
    [SuppressGCTransition]
    public static partial int HmacFinal(nint context, byte* hash, uint* length);

    [LibraryImport(Library, EntryPoint = "SHA1_Init")]
    [SuppressGCTransition]
    public static partial int Sha1Init(byte* state);

    [LibraryImport(Library, EntryPoint = "SHA1_Update")]
    public static partial int Sha1Update(byte* state, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "SHA1_Update")]
    [SuppressGCTransition]
    public static partial int Sha1UpdateShort(byte* state, byte* data, nuint length);

    [LibraryImport(Library, EntryPoint = "SHA1_Final")]
    [SuppressGCTransition]
    public static partial int Sha1Final(byte* hash, byte* state);

    /// <summary>Runs the compression function over one 64-byte block, leaving the length and buffer fields alone.</summary>
    [LibraryImport(Library, EntryPoint = "SHA1_Transform")]
    [SuppressGCTransition]
    public static partial void Sha1Transform(byte* state, byte* block);

    /// <summary>
    /// Loads the library and runs AES-128-GCM over the first test case of the GCM specification (zero key and IV,
    /// one zero block), so a library that loads but misbehaves is never used.
    /// </summary>
    private static bool Probe()
    {
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(LibCrypto).Assembly, null, out _))
            {
                return false;
            }

            Span<byte> key = stackalloc byte[16];
            Span<byte> nonce = stackalloc byte[12];
            Span<byte> data = stackalloc byte[16];
            Span<byte> tag = stackalloc byte[16];
            key.Clear();
            nonce.Clear();
            data.Clear();
            using var gcm = new LibCryptoGcm(key, tag.Length);
            return gcm.Seal(nonce, [], data, tag)
                && Convert.ToHexString(data) == "0388DACE60B6A392F328C2B971B2FE78"
                && Convert.ToHexString(tag) == "AB6E47D42CEC13BDF53A67B21257BDDF";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ProbeSha1()
    {
        if (!IsAvailable || !NativeLibrary.TryLoad(Library, typeof(LibCrypto).Assembly, null, out var library))
        {
            return false;
        }

        foreach (var name in (ReadOnlySpan<string>)["SHA1_Init", "SHA1_Update", "SHA1_Final", "SHA1_Transform"])
        {
            if (!NativeLibrary.TryGetExport(library, name, out _))
            {
                return false;
            }
        }

        var state = stackalloc byte[Sha1StateLength];
        var hash = stackalloc byte[20];
        var abc = stackalloc byte[] { (byte)'a', (byte)'b', (byte)'c' };
        return Sha1Init(state) == 1 && Sha1UpdateShort(state, abc, 3) == 1 && Sha1Final(hash, state) == 1
            && Convert.ToHexString(new ReadOnlySpan<byte>(hash, 20)) == "A9993E364706816ABA3E25717850C26C9CD0D89D";
    }
}
