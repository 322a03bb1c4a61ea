using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Cascade;

/// <summary>The deployment above's call on an uplink relayed into a relay session whose source it becomes (BRIEF §4 "Cascade").</summary>
[Collection(ClusterCollection.Name)]
public sealed class RelaySessionTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    [Fact]
    public async Task A_call_opens_a_live_relay_session_of_the_uplinks_venues_that_broadcasts_the_upper_picture_once_connected()
    {
        var (net, grain, uplink) = await UplinkAsync();

        var sessionId = await grain.CalledAsync("bridge-a", uplink.Id);

        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        var s = await session.GetAsync();
        Assert.Equal((SessionKind.Relay, SessionPhase.Live, net.Main, uplink.Id, uplink.Id), (s.Kind, s.State, s.ChairVenueId, s.UplinkId, s.BroadcastUplinkId));
        Assert.Equal([net.Main, net.District1, net.District2], s.Venues.Select(v => v.VenueId));
        Assert.All(s.Venues, v => Assert.Equal(uplink.Id, v.ViewingUplinkId));
        var before = (await session.GetConferencePlanAsync())!;
        Assert.DoesNotContain(before.Legs, l => l.VideoSourceUplinkId is not null);
        Assert.Equal(new PlanUplink(uplink.Id, false, net.Main, null), before.Uplink! with { Roster = [] });

        await session.ReportLegAsync(new LegReport(sessionId, uplink.Id, LegState.Connected, null, DateTimeOffset.UtcNow));

        var plan = (await session.GetConferencePlanAsync())!;
        Assert.All(plan.Legs, l => Assert.Equal((uplink.Id, null as string), (l.VideoSourceUplinkId, l.VideoSourceVenueId)));
        Assert.Equal(net.Main, plan.Uplink!.VideoSourceVenueId);
        Assert.True((await session.GetAsync()).UplinkConnected);
    }

    [Fact]
    public async Task The_lower_chair_broadcasts_a_venue_up_and_down_and_can_broadcast_the_uplink_again()
    {
        var (net, grain, uplink) = await UplinkAsync();
        var sessionId = await grain.CalledAsync("bridge-a", uplink.Id);
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        await session.ReportLegAsync(new LegReport(sessionId, uplink.Id, LegState.Connected, null, DateTimeOffset.UtcNow));

        var s = await session.BroadcastAsync(net.District1, Chair);

        Assert.Null(s.BroadcastUplinkId);
        var plan = (await session.GetConferencePlanAsync())!;
        Assert.Equal(net.District1, plan.Uplink!.VideoSourceVenueId);
        Assert.Equal(net.District1, plan.Legs.Single(l => l.VenueId == net.District2).VideoSourceVenueId);

        var view = await session.ViewUplinkAsync(net.District2, uplink.Id, Chair);
        Assert.Equal(uplink.Id, view.Venues.Single(v => v.VenueId == net.District2).ViewingUplinkId);

        s = await session.BroadcastUplinkAsync(uplink.Id, Chair);
        Assert.Equal(uplink.Id, s.BroadcastUplinkId);
        Assert.Equal(net.Main, (await session.GetConferencePlanAsync())!.Uplink!.VideoSourceVenueId);
    }

    [Fact]
    public async Task An_uplink_the_session_does_not_relay_is_refused_and_changes_nothing()
    {
        var (net, grain, uplink) = await UplinkAsync();
        var sessionId = await grain.CalledAsync("bridge-a", uplink.Id);
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        var before = await session.GetAsync();

        var broadcast = await Assert.ThrowsAsync<CommandException>(() => session.BroadcastUplinkAsync("up-other", Chair));
        var view = await Assert.ThrowsAsync<CommandException>(() => session.ViewUplinkAsync(net.District1, "up-other", Chair));

        Assert.All([broadcast, view], e => Assert.Equal(CommandErrorKind.Conflict, e.Kind));
        Assert.Equal(before.Version, (await session.GetAsync()).Version);
    }

    [Fact]
    public async Task A_dropped_call_leaves_the_floor_to_the_lower_chair_and_the_next_call_rejoins_the_same_session()
    {
        var (net, grain, uplink) = await UplinkAsync();
        var sessionId = await grain.CalledAsync("bridge-a", uplink.Id);
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);
        await session.ReportLegAsync(new LegReport(sessionId, uplink.Id, LegState.Connected, null, DateTimeOffset.UtcNow));

        await session.ReportLegAsync(new LegReport(sessionId, uplink.Id, LegState.Dropped, "the terminal hung up", DateTimeOffset.UtcNow));

        var s = await session.GetAsync();
        Assert.Equal((SessionPhase.Live, false, uplink.Id), (s.State, s.UplinkConnected, s.BroadcastUplinkId));
        var plan = (await session.GetConferencePlanAsync())!;
        Assert.DoesNotContain(plan.Legs, l => l.VideoSourceUplinkId is not null);
        Assert.Equal(net.Main, plan.Legs.Single(l => l.VenueId == net.District1).VideoSourceVenueId);

        Assert.Equal(sessionId, await grain.CalledAsync("bridge-a", uplink.Id));

        await session.EndAsync(Chair);
        var next = await grain.CalledAsync("bridge-a", uplink.Id);
        Assert.NotEqual(sessionId, next);
        Assert.Equal(SessionPhase.Live, (await fixture.Grains.GetGrain<ISessionGrain>(next).GetAsync()).State);
        await fixture.Grains.GetGrain<ISessionGrain>(next).EndAsync(Chair);
    }

    [Fact]
    public async Task The_session_above_asks_for_a_joined_venue_to_be_sent_up_until_it_asks_for_the_broadcast_again()
    {
        var (net, grain, uplink) = await UplinkAsync();
        var sessionId = await grain.CalledAsync("bridge-a", uplink.Id);
        var session = fixture.Grains.GetGrain<ISessionGrain>(sessionId);

        var s = await session.SendUpAsync(uplink.Id, net.District2, "cascade");

        Assert.Equal((net.District2, uplink.Id), (s.UplinkVenueId, s.BroadcastUplinkId));
        Assert.Equal(net.District2, (await session.GetConferencePlanAsync())!.Uplink!.VideoSourceVenueId);
        var refused = await Assert.ThrowsAsync<CommandException>(() => session.SendUpAsync(uplink.Id, "no-such-venue", "cascade"));
        Assert.Equal(CommandErrorKind.Conflict, refused.Kind);
        Assert.Equal(net.District2, (await session.GetAsync()).UplinkVenueId);

        s = await session.SendUpAsync(uplink.Id, null, "cascade");

        Assert.Null(s.UplinkVenueId);
        Assert.Equal(net.Main, (await session.GetConferencePlanAsync())!.Uplink!.VideoSourceVenueId);
    }

    [Fact]
    public async Task The_chair_above_roll_calls_a_venue_below_through_the_cascade_venue_s_plan_leg()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");

        var s = await session.CascadeRollCallAsync(net.District1, "fs-nanhai", Chair);

        Assert.Equal("fs-nanhai", s.Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
        var plan = (await session.GetConferencePlanAsync())!;
        Assert.Equal("fs-nanhai", plan.Legs.Single(l => l.VenueId == net.District1).RemoteVenueId);
        Assert.Null(plan.Legs.Single(l => l.VenueId == net.District2).RemoteVenueId);
        Assert.Null((await session.CascadeRollCallAsync(net.District1, null, Chair)).Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
    }

    [Fact]
    public async Task An_uplink_without_venues_refuses_the_call()
    {
        var grain = fixture.Grains.GetGrain<IUplinksGrain>("test-" + Guid.NewGuid().ToString("N"));
        var uplink = await grain.AddAsync(new UplinkRequest("above", "sip:127.0.0.1:5060", "1000", "pw"));

        var e = await Assert.ThrowsAsync<CommandException>(() => grain.CalledAsync("bridge-a", uplink.Id));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Null((await grain.GetAsync(uplink.Id))!.SessionId);
    }

    private async Task<(TestNetwork Net, IUplinksGrain Grain, UplinkView Uplink)> UplinkAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var grain = fixture.Grains.GetGrain<IUplinksGrain>("test-" + Guid.NewGuid().ToString("N"));
        var uplink = await grain.AddAsync(new UplinkRequest("above", "sip:127.0.0.1:5060", "1000", "pw") { VenueIds = [net.Main, net.District1, net.District2] });
        Assert.Equal([net.Main, net.District1, net.District2], uplink.VenueIds);
        return (net, grain, uplink);
    }
}
