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
        using var cm = new AesNiCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[0xFF02 * 16];

        cm.Apply(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4", Block(keystream, 0x0000));
        Assert.Equal("D23513162B02D0F72A43A2FE4A5F97AB", Block(keystream, 0x0001));
        Assert.Equal("41E95B3BB0A2E8DD477901E4FCA894C0", Block(keystream, 0x0002));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Block(keystream, 0xFEFF));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Block(keystream, 0xFF00));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Block(keystream, 0xFF01));
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

    private static string Block(byte[] keystream, int block) => Convert.ToHexString(keystream, block * 16, 16);

    public sealed record CounterCase(byte[] Key, byte[] Iv, int Length)
    {
        public override string ToString() => $"key {Convert.ToHexString(Key)}, iv {Convert.ToHexString(Iv)}, {Length} B";
    }
}
