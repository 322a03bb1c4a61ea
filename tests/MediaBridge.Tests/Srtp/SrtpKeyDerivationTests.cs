using MediaBridge.Srtp;

namespace MediaBridge.Tests.Srtp;

/// <summary>RFC 3711 Appendix B: the AES-CM keystream and the session keys derived from a master key.</summary>
public sealed class SrtpKeyDerivationTests
{
    [Fact]
    public void Aes_cm_keystream_matches_rfc_3711_appendix_b2()
    {
        using var cm = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var keystream = new byte[0xFF02 * 16];

        cm.Apply(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        // The RFC's table, also checked block by block against OpenSSL's AES.

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4", Block(keystream, 0x0000));
        Assert.Equal("D23513162B02D0F72A43A2FE4A5F97AB", Block(keystream, 0x0001));
        Assert.Equal("41E95B3BB0A2E8DD477901E4FCA894C0", Block(keystream, 0x0002));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Block(keystream, 0xFEFF));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Block(keystream, 0xFF00));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Block(keystream, 0xFF01));
    }

    [Fact]
    public void Session_keys_match_rfc_3711_appendix_b3()
    {
        var salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
        using var prf = new AesCounterMode(Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"));
        var key = new byte[16];
        var sessionSalt = new byte[14];
        var authentication = new byte[94];

        SrtpKeyDerivation.Derive(prf, salt, SrtpKeyDerivation.RtpEncryption, key);
        SrtpKeyDerivation.Derive(prf, salt, SrtpKeyDerivation.RtpSalt, sessionSalt);
        SrtpKeyDerivation.Derive(prf, salt, SrtpKeyDerivation.RtpAuthentication, authentication);

        // The RFC's values, also recomputed with OpenSSL's AES.
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(key));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(sessionSalt));

        // B.3 lists 94 bytes of PRF output for the authentication label; HMAC-SHA1 keys take the first 20.
        Assert.Equal(
            "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCEE049646C43D9327AD175578EF7227098"
            + "6371C10C9A369AC2F94A8C5FBCDDDC256D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2",
            Convert.ToHexString(authentication));
    }

    private static string Block(byte[] keystream, int index) => Convert.ToHexString(keystream, index * 16, 16);
}
