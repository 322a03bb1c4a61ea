using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Venues;

/// <summary>The durable registration bindings: one per user and contact, never returned once expired, kept across reactivation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrationsTests(ClusterFixture fixture)
{
    private IRegistrationsGrain Registrations => fixture.Grains.GetGrain<IRegistrationsGrain>(IRegistrationsGrain.DefaultKey);

    [Fact]
    public async Task Bindings_are_kept_per_user_and_contact_until_they_expire_or_are_removed()
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var first = Binding(user, "sip:a@127.0.0.1:5070", now.AddMinutes(10), "bridge-a");
        await Registrations.SaveAsync(first);
        await Registrations.SaveAsync(first with { CSeq = 2, BridgeId = "bridge-b" });
        await Registrations.SaveAsync(Binding(user, "sip:b@127.0.0.1:5071", now.AddMilliseconds(300), "bridge-a"));

        var held = await Registrations.GetAsync(user);
        Assert.Equal(2, held.Length);
        Assert.Equal("bridge-b", held.Single(b => b.Contact == first.Contact).BridgeId);

        await Task.Delay(400, TestContext.Current.CancellationToken);
        Assert.Equal([first with { CSeq = 2, BridgeId = "bridge-b" }], await Registrations.GetAsync(user));
        Assert.Contains(await Registrations.GetAllAsync(), b => b.User == user);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Single(await Registrations.GetAsync(user));

        await Registrations.RemoveAsync(user, first.Contact, "bridge-a");
        Assert.Single(await Registrations.GetAsync(user));
        await Registrations.RemoveAsync(user, first.Contact, "bridge-b");
        Assert.Empty(await Registrations.GetAsync(user));
    }

    private static RegistrationBinding Binding(string user, string contact, DateTimeOffset expires, string bridge) =>
        new(user, contact, "127.0.0.1:5070", false, expires, "call-" + user, 1, bridge);
}
