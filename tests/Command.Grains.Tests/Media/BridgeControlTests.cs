using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Media;

/// <summary>Sessions driving a bridge through the registry, and the bridge's reports coming back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BridgeControlTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_live_session_hands_its_bridge_every_floor_change_and_a_last_plan_when_it_ends()
    {
        await using var bridge = await FakeBridge.RegisterAsync(fixture.Grains);
        var (net, session) = await LiveAsync();
        var id = session.GetPrimaryKeyString();

        var first = await bridge.PlanAsync(id, p => p.Live);
        Assert.Equal(new[] { net.Main, net.District1, net.District2 }.Order(StringComparer.Ordinal), first.Legs.Select(l => l.VenueId).Order(StringComparer.Ordinal));
        Assert.Equal(net.Main, first.Legs.Single(l => l.VenueId == net.District1).VideoSourceVenueId);
        Assert.Equal(bridge.Id, await Registry.GetAssignmentAsync(id));

        var broadcast = await session.BroadcastAsync(net.District2, "chair");
        await session.MuteAsync(net.District1, true, "chair");
        var muted = await bridge.PlanAsync(id, p => p.Version > broadcast.Version);
        Assert.Equal(net.District2, muted.Legs.Single(l => l.VenueId == net.District1).VideoSourceVenueId);
        Assert.Equal(net.Main, muted.Legs.Single(l => l.VenueId == net.District2).VideoSourceVenueId);
        Assert.True(muted.Legs.Single(l => l.VenueId == net.District1).Muted);

        await session.EndAsync("chair");
        var last = await bridge.PlanAsync(id, p => !p.Live);
        Assert.Empty(last.Legs);
        Assert.Null(await Registry.GetAssignmentAsync(id));
    }

    [Fact]
    public async Task Leg_reports_and_statistics_show_on_the_session_while_it_is_live()
    {
        var (net, session) = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        var now = DateTimeOffset.UtcNow;

        await session.ReportLegAsync(new LegReport(id, net.District1, LegState.Connected, null, now));
        await session.ReportMediaAsync([new LegStats(net.District1, LegState.Connected, "PCMU", "VP8", 500, 480, 2, 1.5, 96, 90, 0, 0.5, now)]);
        await session.ReportLegAsync(new LegReport(id, "not-in-session", LegState.Connected, null, now));

        var s = await session.GetAsync();
        var media = s.Venues.Single(v => v.VenueId == net.District1).Media;
        Assert.NotNull(media);
        Assert.Equal((LegState.Connected, 500L, "VP8"), (media.State, media.PacketsIn, media.VideoCodec));
        Assert.Null(s.Venues.Single(v => v.VenueId == net.District2).Media);
        var timeline = await session.GetTimelineAsync();
        Assert.Contains(timeline, e => e.Action == "leg-connected" && e.Detail == net.District1);

        await session.EndAsync("chair");
        Assert.All((await session.GetAsync()).Venues, v => Assert.Null(v.Media));
    }

    [Fact]
    public async Task A_bridge_that_restarts_is_sent_the_plans_of_its_sessions_again()
    {
        await using var bridge = await FakeBridge.RegisterAsync(fixture.Grains);
        var (_, session) = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        await bridge.PlanAsync(id, p => p.Live);
        bridge.Plans.Clear();

        await bridge.RegisterAgainAsync(newInstance: false);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(bridge.Plans, p => p.SessionId == id);

        await bridge.RegisterAgainAsync(newInstance: true);
        Assert.True((await bridge.PlanAsync(id, p => p.Live)).Live);
    }

    [Fact]
    public async Task A_browser_offer_goes_to_the_bridge_carrying_its_session_and_the_answer_comes_back()
    {
        await using var bridge = await FakeBridge.RegisterAsync(fixture.Grains);
        var (net, session) = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        await bridge.PlanAsync(id, p => p.Live);

        var joined = await Registry.JoinBrowserAsync(new BrowserJoin(id, net.District1, "offer-sdp"));
        Assert.Equal((BrowserJoinStatus.Joined, $"answer to offer-sdp for {net.District1}"), (joined.Status, joined.AnswerSdp));
        Assert.True(await Registry.LeaveBrowserAsync(id, joined.LegId!));
        Assert.False(await Registry.LeaveBrowserAsync(id, "no-such-leg"));

        var notLive = await Registry.JoinBrowserAsync(new BrowserJoin(ShortId.New("s"), net.District1, "offer-sdp"));
        Assert.Equal(BrowserJoinStatus.NotLive, notLive.Status);
        Assert.Single(bridge.Joins);
    }

    private IBridgeRegistryGrain Registry => fixture.Grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);

    private async Task<(TestNetwork Net, ISessionGrain Session)> LiveAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");
        return (net, session);
    }
}
