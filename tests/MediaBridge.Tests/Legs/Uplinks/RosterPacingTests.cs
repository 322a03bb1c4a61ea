using MediaBridge.Legs.Uplinks;

namespace MediaBridge.Tests.Legs.Uplinks;

/// <summary>How often a roster goes up one cascade call: at once, then changes no more often than the period, the latest of a burst.</summary>
public sealed class RosterPacingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void The_first_roster_goes_at_once_and_the_same_one_is_not_sent_again()
    {
        var pacing = new RosterPacing(Every);
        Assert.Null(pacing.Take(T0));

        pacing.Want([1]);

        Assert.Equal([1], pacing.Take(T0));
        pacing.Want([1]);
        Assert.Null(pacing.Take(T0 + (Every * 3)));
    }

    [Fact]
    public void A_burst_of_changes_goes_up_as_its_latest_one_period_after_the_last_sent()
    {
        var pacing = new RosterPacing(Every);
        pacing.Want([1]);
        Assert.Equal([1], pacing.Take(T0));

        pacing.Want([2]);
        Assert.Null(pacing.Take(T0 + TimeSpan.FromMilliseconds(100)));
        pacing.Want([3]);
        Assert.Null(pacing.Take(T0 + TimeSpan.FromMilliseconds(499)));

        Assert.Equal([3], pacing.Take(T0 + Every));
        pacing.Want([4]);
        Assert.Null(pacing.Take(T0 + Every + TimeSpan.FromMilliseconds(499)));
        Assert.Equal([4], pacing.Take(T0 + (Every * 2)));
    }
}
