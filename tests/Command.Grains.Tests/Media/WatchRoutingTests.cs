using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace Command.Grains.Tests.Media;

/// <summary>Watches (WHEP) through the registry: which bridge takes one, and who ends it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WatchRoutingTests(ClusterFixture fixture)
{
    private IBridgeRegistryGrain Registry => fixture.Grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);

    [Fact]
    public async Task A_camera_watch_goes_to_the_bridge_ingesting_the_camera_with_its_credentials_and_only_its_own_target_ends_it()
    {
        await using var idle = await FakeBridge.RegisterAsync(fixture.Grains);
        await using var ingesting = await FakeBridge.RegisterAsync(fixture.Grains);
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var feed = fixture.Grains.GetGrain<IFeedGrain>(net.Camera);
        await feed.DefineAsync((await feed.GetAsync())!, new FeedCredentials("cam-user", "cam-secret"));
        await feed.ReportMediaAsync(new FeedMediaReport(ingesting.Id, FeedStatus.Online, "H264", 320, 240, 25, 500, null, TimeSpan.FromMinutes(1)));

        var watched = await Registry.WatchAsync(new WatchRequest(WatchTarget.OfFeed(net.Camera), "offer-sdp"));

        Assert.Equal((WatchStatus.Watching, "answer to offer-sdp"), (watched.Status, watched.AnswerSdp));
        var request = ingesting.Watches[watched.WatchId!];
        Assert.Equal(new PlanFeed(net.Camera, "rtsp://127.0.0.1:8554/" + net.Token, "cam-user", "cam-secret"), request.Feed);
        Assert.Empty(idle.Watches);
        Assert.False(await Registry.EndWatchAsync(WatchTarget.OfFeed("another-camera"), watched.WatchId!));
        Assert.True(await Registry.EndWatchAsync(WatchTarget.OfFeed(net.Camera), watched.WatchId!));
        Assert.False(await Registry.EndWatchAsync(WatchTarget.OfFeed(net.Camera), watched.WatchId!));
        Assert.Empty(ingesting.Watches);

        var unknown = await Registry.WatchAsync(new WatchRequest(WatchTarget.OfFeed("no-such-camera-" + net.Token), "offer-sdp"));
        Assert.Equal(WatchStatus.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_venue_watch_goes_to_the_bridge_carrying_its_session_and_is_forgotten_when_that_bridge_goes()
    {
        var bridge = await FakeBridge.RegisterAsync(fixture.Grains);
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        var id = session.GetPrimaryKeyString();
        await bridge.PlanAsync(id, p => p.Live);
        Assert.Equal(bridge.Id, await Registry.GetAssignmentAsync(id));

        var target = WatchTarget.OfVenue(id, net.District1);
        var first = await Registry.WatchAsync(new WatchRequest(target, "offer-sdp"));
        var second = await Registry.WatchAsync(new WatchRequest(target, "offer-sdp"));
        Assert.Equal((WatchStatus.Watching, WatchStatus.Watching), (first.Status, second.Status));
        Assert.Equal(target, bridge.Watches[first.WatchId!].Target);
        Assert.Null(bridge.Watches[first.WatchId!].Feed);

        // The bridge ended the first by itself (its browser went): the registry forgets it.
        bridge.Watches.TryRemove(first.WatchId!, out _);
        await Registry.WatchEndedAsync(bridge.Id, first.WatchId!);
        Assert.False(await Registry.EndWatchAsync(target, first.WatchId!));

        await bridge.DisposeAsync();
        bridge.Watches[second.WatchId!] = new WatchRequest(target, "offer-sdp");
        Assert.False(await Registry.EndWatchAsync(target, second.WatchId!));

        var notLive = await Registry.WatchAsync(new WatchRequest(WatchTarget.OfVenue(ShortId.New("s"), net.District1), "offer-sdp"));
        Assert.Equal(WatchStatus.NotLive, notLive.Status);
        await session.EndAsync("officer");
    }

    [Fact]
    public async Task A_registry_activated_after_a_watch_began_still_ends_it_at_the_bridge_holding_it()
    {
        await using var bystander = await FakeBridge.BeatingAsync(fixture.Grains, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        await using var ingesting = await FakeBridge.BeatingAsync(fixture.Grains, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<IFeedGrain>(net.Camera).ReportMediaAsync(new FeedMediaReport(ingesting.Id, FeedStatus.Online, "H264", 320, 240, 25, 500, null, TimeSpan.FromMinutes(1)));
        var target = WatchTarget.OfFeed(net.Camera);
        var watched = await Registry.WatchAsync(new WatchRequest(target, "offer-sdp"));
        Assert.True(ingesting.Watches.ContainsKey(watched.WatchId!));

        await Registry.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await Eventually.Until(Registry.GetBridgesAsync, b => b.Any(x => x.Id == ingesting.Id) && b.Any(x => x.Id == bystander.Id), TimeSpan.FromSeconds(5));

        Assert.False(await Registry.EndWatchAsync(WatchTarget.OfFeed("another-camera"), watched.WatchId!));
        Assert.True(ingesting.Watches.ContainsKey(watched.WatchId!));
        Assert.True(await Registry.EndWatchAsync(target, watched.WatchId!));
        Assert.Empty(ingesting.Watches);
        Assert.False(await Registry.EndWatchAsync(target, watched.WatchId!));
    }
}
