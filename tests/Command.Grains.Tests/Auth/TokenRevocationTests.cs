using Command.Contracts.Auth;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Auth;

[Collection(ClusterCollection.Name)]
public sealed class TokenRevocationTests(ClusterFixture fixture)
{
    private ITokenRevocationGrain Fresh() => fixture.Grains.GetGrain<ITokenRevocationGrain>("user-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_revoked_token_is_refused_and_the_others_are_not()
    {
        var grain = Fresh();

        await grain.RevokeAsync("a", DateTimeOffset.UtcNow.AddMinutes(5));

        var revocations = await grain.GetAsync();
        Assert.True(revocations.Refuses("a", DateTimeOffset.UtcNow));
        Assert.False(revocations.Refuses("b", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_revoked_token_is_forgotten_once_it_would_have_expired_anyway()
    {
        var grain = Fresh();

        await grain.RevokeAsync("short", DateTimeOffset.UtcNow.AddMilliseconds(300));
        await grain.RevokeAsync("past", DateTimeOffset.UtcNow.AddMinutes(-1));

        await Eventually.Until(grain.GetAsync, r => r.TokenIds.IsEmpty, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Revoking_all_refuses_tokens_issued_before_and_not_after()
    {
        var grain = Fresh();
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-5);

        var after = await grain.RevokeAllAsync();

        var revocations = await grain.GetAsync();
        Assert.True(revocations.Refuses("x", before));
        Assert.False(revocations.Refuses("y", after));
    }

    [Fact]
    public async Task A_one_time_code_step_is_good_once_and_never_an_earlier_one()
    {
        var grain = fixture.Grains.GetGrain<ITotpReplayGrain>("user-" + Guid.NewGuid().ToString("N"));

        Assert.True(await grain.TryUseAsync(100));
        Assert.False(await grain.TryUseAsync(100));
        Assert.False(await grain.TryUseAsync(99));
        Assert.True(await grain.TryUseAsync(101));
    }
}
