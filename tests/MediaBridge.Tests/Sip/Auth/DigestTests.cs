using MediaBridge.Sip;
using MediaBridge.Sip.Auth;

namespace MediaBridge.Tests.Sip.Auth;

public sealed class DigestTests
{
    private const string Realm = "command.foshan.example";
    private const string Uri = "sip:command.foshan.example";
    private readonly ManualTime time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly NonceIssuer nonces;
    private readonly DigestAuthenticator digest;

    public DigestTests()
    {
        nonces = new NonceIssuer(new byte[32], time, TimeSpan.FromMinutes(5));
        digest = new DigestAuthenticator(Realm, nonces, user => user == "2101" ? "fs-2101-Sample!" : null);
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void The_RFC_7616_example_responses_are_reproduced(DigestAlgorithm algorithm, string expected)
    {
        var response = DigestAuthenticator.ExpectedResponse(
            algorithm, "GET", "Mufasa", "http-auth@example.org", "Circle of Life",
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "/dir/index.html", "00000001",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "auth");

        Assert.Equal(expected, response);
    }

    [Fact]
    public void Challenges_offer_sha256_before_md5_with_qop_auth()
    {
        var challenge = digest.Challenge();

        Assert.Equal(2, challenge.Count);
        Assert.Contains("algorithm=SHA-256", challenge[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenge[1], StringComparison.Ordinal);
        Assert.All(challenge, c => Assert.Contains("qop=\"auth\"", c, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Md5)]
    public void The_right_password_is_accepted_with_either_algorithm(DigestAlgorithm algorithm)
    {
        var header = Answer(algorithm, "2101", "fs-2101-Sample!", Nonce(), "00000001");

        Assert.Equal(DigestVerdict.Accepted, digest.Verify("REGISTER", [header], out var user));
        Assert.Equal("2101", user);
    }

    [Fact]
    public void A_wrong_password_and_an_unknown_user_get_the_same_verdict()
    {
        var nonce = Nonce();

        Assert.Equal(DigestVerdict.Refused, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "2101", "guess", nonce, "00000001")], out _));
        Assert.Equal(DigestVerdict.Refused, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "9999", "guess", nonce, "00000002")], out var user));
        Assert.Null(user);
    }

    [Fact]
    public void A_replayed_nonce_count_is_refused_and_a_higher_one_accepted()
    {
        var nonce = Nonce();
        var first = Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", nonce, "00000001");

        Assert.Equal(DigestVerdict.Accepted, digest.Verify("REGISTER", [first], out _));
        Assert.Equal(DigestVerdict.Refused, digest.Verify("REGISTER", [first], out _));
        Assert.Equal(DigestVerdict.Accepted, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", nonce, "00000002")], out _));
    }

    [Fact]
    public void An_expired_nonce_with_the_right_password_is_stale_not_refused()
    {
        var nonce = Nonce();
        time.Now += TimeSpan.FromMinutes(6);

        Assert.Equal(DigestVerdict.Stale, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", nonce, "00000001")], out _));
        Assert.Contains("stale=true", digest.Challenge(stale: true)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_forged_nonce_is_refused()
    {
        var forged = new NonceIssuer(new byte[] { 1, 2, 3 }, time, TimeSpan.FromMinutes(5)).Issue();

        Assert.Equal(DigestVerdict.Refused, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", forged, "00000001")], out _));
        Assert.Equal(NonceCheck.Invalid, nonces.Check("not-a-nonce"));
    }

    [Fact]
    public void Another_scheme_or_realm_counts_as_no_credentials()
    {
        Assert.True(SipParser.TryParse(TortureSuite.Read("regaut01.dat"), true, out var message, out _));

        Assert.Equal(DigestVerdict.Missing, digest.Verify("REGISTER", message.Headers.Values(HeaderNames.Authorization), out _));
        Assert.Equal(DigestVerdict.Missing, digest.Verify("REGISTER", [Answer(DigestAlgorithm.Md5, "2101", "fs-2101-Sample!", Nonce(), "00000001").Replace(Realm, "other.example", StringComparison.Ordinal)], out _));
    }

    [Fact]
    public void A_terminal_configured_for_md5_only_is_offered_only_md5_and_must_answer_with_it()
    {
        var legacy = new DigestAuthenticator(Realm, nonces, _ => "fs-2101-Sample!", user => user == "2101" ? [DigestAlgorithm.Md5] : []);

        var offered = legacy.Challenge("2101");

        Assert.Equal(["MD5"], offered.Select(c => c[(c.IndexOf("algorithm=", StringComparison.Ordinal) + 10)..].Split(',')[0]));
        Assert.Equal(2, legacy.Challenge("3101").Count);
        Assert.Equal(DigestVerdict.Refused, legacy.Verify("REGISTER", [Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", Nonce(), "00000001")], out _));
        Assert.Equal(DigestVerdict.Accepted, legacy.Verify("REGISTER", [Answer(DigestAlgorithm.Md5, "2101", "fs-2101-Sample!", Nonce(), "00000001")], out _));
    }

    [Fact]
    public void A_method_other_than_the_one_signed_is_refused()
    {
        var header = Answer(DigestAlgorithm.Sha256, "2101", "fs-2101-Sample!", Nonce(), "00000001");

        Assert.Equal(DigestVerdict.Refused, digest.Verify("INVITE", [header], out _));
    }

    private string Nonce()
    {
        var challenge = digest.Challenge()[0];
        var start = challenge.IndexOf("nonce=\"", StringComparison.Ordinal) + 7;
        return challenge[start..challenge.IndexOf('"', start)];
    }

    private static string Answer(DigestAlgorithm algorithm, string user, string password, string nonce, string nc)
    {
        const string Cnonce = "0a4f113b";
        var response = DigestAuthenticator.ExpectedResponse(algorithm, "REGISTER", user, Realm, password, nonce, Uri, nc, Cnonce, "auth");
        return $"Digest username=\"{user}\", realm=\"{Realm}\", nonce=\"{nonce}\", uri=\"{Uri}\", response=\"{response}\", "
            + $"algorithm={algorithm.Name()}, cnonce=\"{Cnonce}\", qop=auth, nc={nc}";
    }
}
