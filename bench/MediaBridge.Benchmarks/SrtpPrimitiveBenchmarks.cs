using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MediaBridge.Srtp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// The three primitives under SRTP, each one call as a packet makes it, shaped like what <c>openssl speed</c> times:
/// AES-128-GCM as its <c>-aead</c> sequence (new IV, 13 bytes of associated data, encrypt, tag), AES-128-CTR from
/// a new IV, and HMAC-SHA1 of the whole buffer. Managed is .NET's AesGcm, one reused ECB transform and
/// IncrementalHash; LibCrypto is what <see cref="SrtpSession"/> uses where it can.
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
    private LibCryptoCounterMode nativeCounterMode = null!;
    private LibCryptoHmacSha1 nativeHmac = null!;

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
        nativeCounterMode = new LibCryptoCounterMode(key);
        nativeHmac = new LibCryptoHmacSha1(new byte[20]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        gcm.Dispose();
        counterMode.Dispose();
        hmac.Dispose();
        nativeGcm.Dispose();
        nativeCounterMode.Dispose();
        nativeHmac.Dispose();
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
    public bool CtrLibCrypto()
    {
        iv[13]++;
        return nativeCounterMode.Apply(iv, data);
    }

    [Benchmark]
    public int HmacSha1Managed()
    {
        hmac.AppendData(data);
        return hmac.GetHashAndReset(hash);
    }

    [Benchmark]
    public bool HmacSha1LibCrypto() => nativeHmac.Compute(data, [], hash);
}
