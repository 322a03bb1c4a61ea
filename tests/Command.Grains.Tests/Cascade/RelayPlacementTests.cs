using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;
using Command.Grains.Tests.Media;

namespace Command.Grains.Tests.Cascade;

/// <summary>
/// With several bridges, the call from above is answered by the bridge holding the uplink's registration,
/// so the relay session's conference is put on that bridge (docs/cascade.md, "Several bridges").
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RelayPlacementTests(ClusterFixture fixture)
{
    private IBridgeRegistryGrain Registry => fixture.Grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);

    [Fact]
    public async Task New_relay_sessions_go_live_on_the_bridge_the_call_came_to_however_loaded_it_is()
    {
        await using var called = await FakeBridge.RegisterAsync(fixture.Grains);
        await using var idle = await FakeBridge.RegisterAsync(fixture.Grains);
        var sessions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, grain, uplink) = await UplinkAsync();
            sessions.Add(await grain.CalledAsync(called.Id, uplink.Id));
        }

        foreach (var sessionId in sessions)
        {
            Assert.Equal(called.Id, await Registry.GetAssignmentAsync(sessionId));
            var plan = await called.PlanAsync(sessionId, p => p.Live);
            Assert.NotNull(plan.Uplink);
        }

        Assert.DoesNotContain(idle.Plans, p => sessions.Contains(p.SessionId));
    }

    [Fact]
    public async Task A_call_on_another_bridge_moves_the_live_relay_session_there_ending_it_on_the_old_one()
    {
        await using var first = await FakeBridge.RegisterAsync(fixture.Grains);
        await using var second = await FakeBridge.RegisterAsync(fixture.Grains);
        var (_, grain, uplink) = await UplinkAsync();
        var sessionId = await grain.CalledAsync(first.Id, uplink.Id);
        await first.PlanAsync(sessionId, p => p.Live);
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        await session.ReportLegAsync(new LegReport(sessionId, uplink.Id, LegState.Dropped, "the link broke", DateTimeOffset.UtcNow));

        var rejoined = await grain.CalledAsync(second.Id, uplink.Id);

        Assert.Equal(sessionId, rejoined);
        Assert.Equal(second.Id, await Registry.GetAssignmentAsync(sessionId));
        var moved = await second.PlanAsync(sessionId, p => p.Live);
        Assert.Equal(uplink.Id, moved.Uplink!.UplinkId);
        await first.PlanAsync(sessionId, p => !p.Live);
        Assert.Equal(SessionPhase.Live, (await session.GetAsync()).State);
    }

    [Fact]
    public async Task A_call_to_a_bridge_the_registry_does_not_know_leaves_placement_to_the_registry()
    {
        await using var bridge = await FakeBridge.RegisterAsync(fixture.Grains);
        var (_, grain, uplink) = await UplinkAsync();

        var sessionId = await grain.CalledAsync("bridge-unknown-" + Guid.NewGuid().ToString("N"), uplink.Id);

        var assigned = await Registry.GetAssignmentAsync(sessionId);
        Assert.NotNull(assigned);
        Assert.DoesNotContain("bridge-unknown", assigned, StringComparison.Ordinal);
    }

    private async Task<(TestNetwork Net, IUplinksGrain Grain, UplinkView Uplink)> UplinkAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var grain = fixture.Grains.GetGrain<IUplinksGrain>("test-" + Guid.NewGuid().ToString("N"));
        var uplink = await grain.AddAsync(new UplinkRequest("above", "sip:127.0.0.1:5060", "1000", "pw") { VenueIds = [net.Main, net.District1, net.District2] });
        return (net, grain, uplink);
    }
}
