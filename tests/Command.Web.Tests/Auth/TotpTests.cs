using System.Text;
using Command.Web.Auth;

namespace Command.Web.Tests.Auth;

public sealed class TotpTests
{
    // RFC 6238 Appendix B, the SHA-1 rows: the seed is the ASCII of "12345678901234567890", codes have 8 digits.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Codes_match_the_rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");

        Assert.Equal(expected, Totp.Code(secret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8));
    }

    [Fact]
    public void A_code_is_accepted_one_step_either_side_and_not_two()
    {
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = Totp.StepAt(now);

        Assert.Equal(step - 1, Totp.Match(secret, Totp.Code(secret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(secret, Totp.Code(secret, step + 1), now));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step + 2), now));
        Assert.Null(Totp.Match(secret, "12345", now));
    }

    [Fact]
    public void Base32_round_trips_and_reads_the_rfc_4648_vectors()
    {
        Assert.Equal("MZXW6YTBOI", Base32.Encode("foobar"u8));
        Assert.True(Base32.TryDecode("mzxw6ytboi======", out var decoded));
        Assert.Equal("foobar"u8.ToArray(), decoded);
        Assert.False(Base32.TryDecode("not base32!", out _));
    }
}
