using MediaBridge.Srtp;

namespace MediaBridge.Tests.Srtp;

/// <summary>RFC 3711 Appendix B: the AES-CM keystream and the session keys derived from a master key.</summary>
public sealed class SrtpKeyDerivationTests
{
    [Fact]
    public void Aes_cm_keystream_matches_rfc_3711_appendix_b2()
    {
        using var cm = new AesCounterMode(Rfc3711KeystreamVector.Key);
        var keystream = Rfc3711KeystreamVector.NewKeystream();

        cm.Apply(Rfc3711KeystreamVector.Iv, keystream);

        Rfc3711KeystreamVector.AssertMatches(keystream);
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
}
