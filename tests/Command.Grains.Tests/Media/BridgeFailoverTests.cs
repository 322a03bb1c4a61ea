using System.Diagnostics;
using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace Command.Grains.Tests.Media;

/// <summary>
/// A bridge that crashes or leaves has its sessions carried on by another bridge within its short
/// expiry, the move is recorded; a registry that itself restarts moves nothing that is fine.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BridgeFailoverTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_bridge_that_falls_silent_loses_its_sessions_to_a_live_bridge_within_its_expiry_and_the_move_is_recorded()
    {
        var expiry = TimeSpan.FromMilliseconds(500);
        await using var crashing = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);
        var session = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        await crashing.PlanAsync(id, p => p.Live);
        await using var survivor = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);
        Assert.Equal(crashing.Id, await Registry.GetAssignmentAsync(id));

        await crashing.PauseAsync();
        var clock = Stopwatch.StartNew();
        await Eventually.Until(() => Registry.GetAssignmentAsync(id), b => b == survivor.Id, TimeSpan.FromSeconds(3));
        var moved = clock.Elapsed;

        Assert.True(moved < expiry + TimeSpan.FromMilliseconds(700), $"moved after {moved.TotalMilliseconds:F0} ms");
        Assert.True((await survivor.PlanAsync(id, p => p.Live)).Live);
        var entry = (await Eventually.Until(session.GetTimelineAsync, t => t.Any(e => e.Action == "media-moved"), TimeSpan.FromSeconds(2)))
            .Single(e => e.Action == "media-moved");
        Assert.Contains(crashing.Id, entry.Detail);
        Assert.Contains(survivor.Id, entry.Detail);
        Assert.Contains("silent", entry.Detail);
    }

    [Fact]
    public async Task A_bridge_that_leaves_hands_its_sessions_over_at_once()
    {
        await using var leaving = await FakeBridge.BeatingAsync(fixture.Grains, Beat, TimeSpan.FromSeconds(5));
        var session = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        await leaving.PlanAsync(id, p => p.Live);
        await using var staying = await FakeBridge.BeatingAsync(fixture.Grains, Beat, TimeSpan.FromSeconds(5));

        await leaving.DisposeAsync();

        Assert.Equal(staying.Id, await Registry.GetAssignmentAsync(id));
        Assert.True((await staying.PlanAsync(id, p => p.Live)).Live);
        await Eventually.Until(session.GetTimelineAsync, t => t.Any(e => e.Action == "media-moved" && e.Detail.Contains("shut down")), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_browser_joining_while_its_session_has_no_bridge_is_asked_to_retry_rather_than_refused()
    {
        var expiry = TimeSpan.FromMilliseconds(400);
        await using var only = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);
        var session = await LiveAsync();
        var id = session.GetPrimaryKeyString();
        await only.PlanAsync(id, p => p.Live);

        await only.DisposeAsync();
        var waiting = await Registry.JoinBrowserAsync(new BrowserJoin(id, (await session.GetAsync()).ChairVenueId, "offer-sdp"));

        Assert.Equal(BrowserJoinStatus.Unavailable, waiting.Status);
    }

    /// <summary>
    /// The registry loses its silo: it comes back knowing no bridge. A floor change before the
    /// bridges re-announce must not move sessions; a bridge that never comes back loses its sessions
    /// once the grace (the longest expiry announced) is over.
    /// </summary>
    [Fact]
    public async Task A_restarted_registry_leaves_sessions_on_bridges_that_re_announce_and_moves_those_of_bridges_that_do_not()
    {
        var expiry = TimeSpan.FromSeconds(2);
        await using var returning = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);
        var kept = await LiveAsync();
        await returning.PlanAsync(kept.GetPrimaryKeyString(), p => p.Live);
        await using var vanishing = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);
        var orphan = await LiveAsync();
        await vanishing.PlanAsync(orphan.GetPrimaryKeyString(), p => p.Live);
        Assert.Equal(vanishing.Id, await Registry.GetAssignmentAsync(orphan.GetPrimaryKeyString()));
        await using var other = await FakeBridge.BeatingAsync(fixture.Grains, Beat, expiry);

        await returning.PauseAsync();
        await vanishing.PauseAsync();
        var clock = Stopwatch.StartNew();
        await Registry.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await Eventually.Until(Registry.GetBridgesAsync, b => b.Any(x => x.Id == other.Id) && !b.Any(x => x.Id == returning.Id), TimeSpan.FromSeconds(2));
        var venue = await SomeVenueAsync(kept);
        await kept.MuteAsync(venue, true, "chair");
        await orphan.MuteAsync(await SomeVenueAsync(orphan), true, "chair");
        Assert.Equal(returning.Id, await Registry.GetAssignmentAsync(kept.GetPrimaryKeyString()));
        Assert.Equal(vanishing.Id, await Registry.GetAssignmentAsync(orphan.GetPrimaryKeyString()));
        Assert.True(clock.Elapsed < expiry, $"the checks took {clock.Elapsed}, past the grace");

        returning.Resume(Beat);
        var muted = await returning.PlanAsync(kept.GetPrimaryKeyString(), p => p.Legs.Any(l => l.VenueId == venue && l.Muted));
        Assert.True(muted.Live);
        await Eventually.Until(() => Registry.GetAssignmentAsync(orphan.GetPrimaryKeyString()), b => b != vanishing.Id, expiry + TimeSpan.FromSeconds(2));
        Assert.Equal(returning.Id, await Registry.GetAssignmentAsync(kept.GetPrimaryKeyString()));
        var timeline = await Eventually.Until(orphan.GetTimelineAsync, t => t.Any(e => e.Action == "media-moved"), TimeSpan.FromSeconds(2));
        Assert.Contains(timeline, e => e.Action == "media-moved" && e.Detail.Contains("re-announce"));
        Assert.DoesNotContain(await kept.GetTimelineAsync(), e => e.Action == "media-moved");
    }

    private IBridgeRegistryGrain Registry => fixture.Grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);

    private static async Task<string> SomeVenueAsync(ISessionGrain session)
    {
        var s = await session.GetAsync();
        return s.Venues.First(v => v.VenueId != s.ChairVenueId).VenueId;
    }

    private async Task<ISessionGrain> LiveAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");
        return session;
    }
}
