using CsCheck;
using MediaBridge.Srtp;
using MediaBridge.Tests.Fuzz;

namespace MediaBridge.Tests.Srtp;

/// <summary>AES-CM on the CPU's AES instructions against RFC 3711 and against the ECB-based and EVP counter modes.</summary>
public sealed class SrtpAesNiCounterModeTests
{
    private static readonly Gen<CounterCase> CounterCases = Gen.Select(
        Gen.Byte.Array[16],
        Gen.Byte.Array[14],
        Gen.Frequency((8, Gen.Int[0, 1600]), (1, Gen.Int[1600, 70_000])),
        (key, iv, length) => new CounterCase(key, [.. iv, 0, 0], length));

    [Fact]
    public void This_cpu_has_aes_instructions_so_libcrypto_sessions_use_them()
    {
        Assert.True(AesNiCounterMode.IsSupported);
    }

    [Fact]
    public void Keystream_matches_rfc_3711_appendix_b2()
    {
        using var cm = new AesNiCounterMode(Rfc3711KeystreamVector.Key);
        var keystream = Rfc3711KeystreamVector.NewKeystream();

        cm.Apply(Rfc3711KeystreamVector.Iv, keystream);

        Rfc3711KeystreamVector.AssertMatches(keystream);
    }

    [Fact]
    public void Equals_the_ecb_and_evp_counter_modes_over_random_keys_ivs_and_lengths()
    {
        FuzzRun.Check("SRTP", "AES-NI counter mode equals ECB and EVP", CounterCases, CheckCounter, ciCases: 300);
    }

    [Fact]
    public void Refuses_data_beyond_the_sixteen_bit_block_counter()
    {
        using var cm = new AesNiCounterMode(new byte[16]);

        Assert.Throws<ArgumentException>(() => cm.Apply(new byte[16], new byte[(65536 * 16) + 1]));
    }

    private static void CheckCounter(CounterCase c)
    {
        using var aesNi = new AesNiCounterMode(c.Key);
        using var ecb = new AesCounterMode(c.Key);
        using var evp = new LibCryptoCounterMode(c.Key);
        var data = new byte[c.Length];
        Random.Shared.NextBytes(data);
        byte[] viaAesNi = [.. data], viaEcb = [.. data], viaEvp = [.. data];

        aesNi.Apply(c.Iv, viaAesNi);
        ecb.Apply(c.Iv, viaEcb);
        Assert.True(evp.Apply(c.Iv, viaEvp));

        Assert.Equal(viaEcb, viaAesNi);
        Assert.Equal(viaEvp, viaAesNi);
        aesNi.Apply(c.Iv, viaAesNi);
        Assert.Equal(data, viaAesNi);
    }


    public sealed record CounterCase(byte[] Key, byte[] Iv, int Length)
    {
        public override string ToString() => $"key {Convert.ToHexString(Key)}, iv {Convert.ToHexString(Iv)}, {Length} B";
    }
}
