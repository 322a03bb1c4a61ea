using MediaBridge.Legs.Calls;

namespace MediaBridge.Tests.Legs.Calls;

public sealed class SipLegsRetryTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(5, 8)]
    [InlineData(6, 16)]
    [InlineData(7, 30)]
    [InlineData(40, 30)]
    public void A_dropped_call_is_tried_again_within_seconds_and_backs_off_to_the_retry_period(int strikes, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SipLegs.RetryDelay(strikes, TimeSpan.FromSeconds(30)));
}
