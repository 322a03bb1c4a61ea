using System.Security.Cryptography;
using System.Text;
using CsCheck;
using MediaBridge.Srtp;
using MediaBridge.Tests.Fuzz;

namespace MediaBridge.Tests.Srtp;

/// <summary>
/// libcrypto's HMAC-SHA1 both ways it is computed, from precomputed SHA-1 states and by restarting an HMAC_CTX,
/// against RFC 2202 and against .NET's HMAC over random keys, messages and suffixes (mostly none or a 4-byte ROC).
/// </summary>
public sealed class SrtpHmacSha1Tests
{
    private static readonly Gen<MacCase> MacCases = Gen.Select(
        Gen.Frequency((6, Gen.Const(20)), (1, Gen.Int[0, 150])).SelectMany(length => Gen.Byte.Array[length]),
        Gen.Int[0, 1500].SelectMany(length => Gen.Byte.Array[length]),
        Gen.Frequency((4, Gen.Const(Array.Empty<byte>())), (4, Gen.Byte.Array[4]), (1, Gen.Int[0, 300].SelectMany(length => Gen.Byte.Array[length]))),
        (key, message, suffix) => new MacCase(key, message, suffix));

    public static TheoryData<string, string, string> Rfc2202 => new()
    {
        { Hex(0x0B, 20), Convert.ToHexString("Hi There"u8), "B617318655057264E28BC0B6FB378C8EF146BE00" },
        { Convert.ToHexString("Jefe"u8), Convert.ToHexString("what do ya want for nothing?"u8), "EFFCDF6AE5EB2FA2D27416D5F184DF9C259A7C79" },
        { Hex(0xAA, 20), Hex(0xDD, 50), "125D7342B9AC11CD91A39AF48AA17B4F63F175D3" },
        { "0102030405060708090A0B0C0D0E0F10111213141516171819", Hex(0xCD, 50), "4C9007F4026250C6BC8414F9BF50C86C2D7235DA" },
        { Hex(0x0C, 20), Convert.ToHexString("Test With Truncation"u8), "4C1A03424B55E07FE7F27BE1D58BB9324A9A5A04" },
        { Hex(0xAA, 80), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "AA4AE5E15272D00E95705637CE8A3B55ED402112" },
        { Hex(0xAA, 80), Convert.ToHexString("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"u8), "E8E99D0F45237D786D6BBAA7965C7808BBFF1A91" },
    };

    [Fact]
    public void The_low_level_sha1_functions_are_found_here_so_the_precomputed_path_is_the_one_used()
    {
        Assert.True(LibCrypto.HasSha1Blocks);
    }

    [Theory]
    [MemberData(nameof(Rfc2202))]
    public void Both_ways_match_rfc_2202_split_anywhere_between_message_and_suffix(string key, string data, string expected)
    {
        var message = Convert.FromHexString(data);
        foreach (var precomputed in new[] { true, false })
        {
            using var hmac = new LibCryptoHmacSha1(Convert.FromHexString(key), precomputed);
            var hash = new byte[20];
            for (var split = 0; split <= message.Length; split++)
            {
                Assert.True(hmac.Compute(message.AsSpan(0, split), message.AsSpan(split), hash));
                Assert.Equal(expected, Convert.ToHexString(hash));
            }
        }
    }

    [Fact]
    public void Both_ways_equal_dotnet_hmac_over_random_keys_messages_and_roc_suffixes()
    {
        FuzzRun.Check("SRTP", "libcrypto HMAC-SHA1 equals HMACSHA1", MacCases, CheckMac, ciCases: 400);
    }

    [Fact]
    public void A_message_longer_than_a_packet_is_hashed_whole()
    {
        var key = RandomNumberGenerator.GetBytes(20);
        var message = RandomNumberGenerator.GetBytes(70_001);
        using var hmac = new LibCryptoHmacSha1(key, precomputed: true);
        var hash = new byte[20];

        Assert.True(hmac.Compute(message, "ROC!"u8, hash));

        Assert.Equal(HMACSHA1.HashData(key, (byte[])[.. message, .. "ROC!"u8]), hash);
    }

    [Fact]
    public void A_disposed_precomputed_mac_refuses_use()
    {
        var hmac = new LibCryptoHmacSha1(new byte[20], precomputed: true);
        hmac.Dispose();

        Assert.Throws<ObjectDisposedException>(() => hmac.Compute([1, 2, 3], [], new byte[20]));
    }

    private static void CheckMac(MacCase c)
    {
        var expected = HMACSHA1.HashData(c.Key, (byte[])[.. c.Message, .. c.Suffix]);
        foreach (var precomputed in new[] { true, false })
        {
            using var hmac = new LibCryptoHmacSha1(c.Key, precomputed);
            var hash = new byte[20];
            for (var i = 0; i < 2; i++)
            {
                Assert.True(hmac.Compute(c.Message, c.Suffix, hash));
                Assert.Equal(expected, hash);
            }
        }
    }

    private static string Hex(byte value, int count) => Convert.ToHexString(Enumerable.Repeat(value, count).ToArray());

    public sealed record MacCase(byte[] Key, byte[] Message, byte[] Suffix)
    {
        public override string ToString() =>
            $"key {Convert.ToHexString(Key)}, message {Message.Length} B {Convert.ToHexString(Message)}, suffix {Convert.ToHexString(Suffix)}";
    }
}
