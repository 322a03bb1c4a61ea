using MediaBridge.Sip;

namespace MediaBridge.Tests.Fuzz;

/// <summary>The literal inputs on which the fuzz properties found a parser throwing, hanging or misreading.</summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public void Two_lone_surrogates_before_an_escape_are_decoded_not_thrown_on()
    {
        Assert.True(SipUri.TryParse("sip:\uD99F\uDBDD%41@example.com", out var uri));
        Assert.Equal("\uFFFD\uFFFDA", uri.User);
        Assert.True(SipUri.TryParse("sip:\uD83D\uDE00%41@example.com", out var pair));
        Assert.Equal("\uD83D\uDE00A", pair.User);
        Assert.True(SipUri.TryParse("sip:\uD800a%41@example.com", out var lone));
        Assert.Equal("\uFFFDaA", lone.User);
    }
}
