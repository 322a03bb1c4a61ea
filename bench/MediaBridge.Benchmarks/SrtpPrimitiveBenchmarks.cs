using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MediaBridge.Srtp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// The three primitives under SRTP, each one call as a packet makes it, shaped like what <c>openssl speed</c> times:
/// AES-128-GCM as its <c>-aead</c> sequence (new IV, 13 bytes of associated data, encrypt, tag), AES-128-CTR from
/// a new IV, and HMAC-SHA1 of the whole buffer. Managed is .NET's AesGcm, one reused ECB transform and
/// IncrementalHash; LibCrypto is what <see cref="SrtpSession"/> uses where it can (for AES-CM, the CPU's AES
/// instructions; for HMAC, libcrypto's SHA-1 from precomputed states). CtrEvp and HmacSha1HmacCtx are the libcrypto
/// EVP and HMAC_CTX calls those replaced, kept to show the difference.
/// </summary>
[MemoryDiagnoser]
public class SrtpPrimitiveBenchmarks
{
    private readonly byte[] key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private readonly byte[] nonce = new byte[12];
    private readonly byte[] iv = new byte[16];
    private readonly byte[] associated = new byte[13];
    private readonly byte[] tag = new byte[16];
    private readonly byte[] hash = new byte[20];
    private byte[] data = [];
    private AesGcm gcm = null!;
    private AesCounterMode counterMode = null!;
    private IncrementalHash hmac = null!;
    private LibCryptoGcm nativeGcm = null!;
    private LibCryptoCounterMode evpCounterMode = null!;
    private AesNiCounterMode aesNiCounterMode = null!;
    private LibCryptoHmacSha1 nativeHmac = null!;
    private LibCryptoHmacSha1 contextHmac = null!;

    [Params(160, 1200)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        data = new byte[Bytes];
        gcm = new AesGcm(key, 16);
        counterMode = new AesCounterMode(key);
        hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, new byte[20]);
        nativeGcm = new LibCryptoGcm(key, 16);
        evpCounterMode = new LibCryptoCounterMode(key);
        aesNiCounterMode = new AesNiCounterMode(key);
        nativeHmac = new LibCryptoHmacSha1(new byte[20]);
        contextHmac = new LibCryptoHmacSha1(new byte[20], precomputed: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        gcm.Dispose();
        counterMode.Dispose();
        hmac.Dispose();
        nativeGcm.Dispose();
        evpCounterMode.Dispose();
        aesNiCounterMode.Dispose();
        nativeHmac.Dispose();
        contextHmac.Dispose();
    }

    [Benchmark]
    public void GcmManaged()
    {
        nonce[11]++;
        gcm.Encrypt(nonce, data, data, tag, associated);
    }

    [Benchmark]
    public bool GcmLibCrypto()
    {
        nonce[11]++;
        return nativeGcm.Seal(nonce, associated, data, tag);
    }

    [Benchmark]
    public void CtrManaged()
    {
        iv[13]++;
        counterMode.Apply(iv, data);
    }

    [Benchmark]
    public void CtrLibCrypto()
    {
        iv[13]++;
        aesNiCounterMode.Apply(iv, data);
    }

    [Benchmark]
    public bool CtrEvp()
    {
        iv[13]++;
        return evpCounterMode.Apply(iv, data);
    }

    [Benchmark]
    public int HmacSha1Managed()
    {
        hmac.AppendData(data);
        return hmac.GetHashAndReset(hash);
    }

    [Benchmark]
    public bool HmacSha1LibCrypto() => nativeHmac.Compute(data, [], hash);

    [Benchmark]
    public bool HmacSha1HmacCtx() => contextHmac.Compute(data, [], hash);
}
