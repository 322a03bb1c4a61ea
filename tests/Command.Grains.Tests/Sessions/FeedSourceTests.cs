using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Sessions;

/// <summary>Camera feeds as routable sources of a session (BRIEF §4 "Sources").</summary>
[Collection(ClusterCollection.Name)]
public sealed class FeedSourceTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    [Fact]
    public async Task A_feed_is_routed_only_once_attached()
    {
        var (net, session) = await LiveAsync(attach: false);

        var broadcast = await Assert.ThrowsAsync<CommandException>(() => session.BroadcastFeedAsync(net.Camera, Chair));
        var view = await Assert.ThrowsAsync<CommandException>(() => session.ViewFeedAsync(net.Main, net.Camera, Chair));
        var poll = await Assert.ThrowsAsync<CommandException>(() =>
            session.PollSourcesAsync([SourceRef.Venue(net.District1), SourceRef.Feed(net.Camera)], 5, Chair));

        Assert.All([broadcast, view, poll], e => Assert.Equal(CommandErrorKind.Conflict, e.Kind));
        var s = await session.GetAsync();
        Assert.Equal(net.Main, s.BroadcastVenueId);
        Assert.Null(s.BroadcastFeedId);
        Assert.Null(s.Polling);
    }

    [Fact]
    public async Task Broadcasting_a_feed_shows_it_to_every_venue_and_the_plan_routes_its_video()
    {
        var (net, session) = await LiveAsync();

        var s = await session.BroadcastFeedAsync(net.Camera, Chair);

        Assert.Equal(net.Camera, s.BroadcastFeedId);
        Assert.Null(s.BroadcastVenueId);
        Assert.All(s.Venues, v => Assert.Equal(net.Camera, v.ViewingFeedId));
        Assert.All(s.Venues, v => Assert.Null(v.ViewingVenueId));
        var plan = await session.GetConferencePlanAsync();
        Assert.NotNull(plan);
        Assert.All(plan.Legs, l => Assert.Equal(net.Camera, l.VideoSourceFeedId));
        Assert.All(plan.Legs, l => Assert.Null(l.VideoSourceVenueId));
        Assert.Equal(net.Camera, Assert.Single(plan.Feeds).FeedId);
        Assert.Contains(await session.GetTimelineAsync(), e => e.Action == "broadcast" && e.Detail == $"feed {net.Camera}");
    }

    [Fact]
    public async Task A_venue_views_a_feed_while_the_others_keep_the_broadcast()
    {
        var (net, session) = await LiveAsync();

        var s = await session.ViewFeedAsync(net.District1, net.Camera, Chair);

        Assert.Equal(net.Camera, Venue(s, net.District1).ViewingFeedId);
        Assert.Null(Venue(s, net.District1).ViewingVenueId);
        Assert.Equal(net.Main, Venue(s, net.District2).ViewingVenueId);
        var plan = (await session.GetConferencePlanAsync())!;
        Assert.Equal(net.Camera, plan.Legs.Single(l => l.VenueId == net.District1).VideoSourceFeedId);
        Assert.Equal(net.Main, plan.Legs.Single(l => l.VenueId == net.District2).VideoSourceVenueId);

        var back = await session.ViewAsync(net.District1, net.District2, Chair);
        Assert.Null(Venue(back, net.District1).ViewingFeedId);
        Assert.Equal(net.District2, Venue(back, net.District1).ViewingVenueId);
    }

    [Fact]
    public async Task Broadcasting_a_venue_after_a_feed_clears_the_feed()
    {
        var (net, session) = await LiveAsync();
        await session.BroadcastFeedAsync(net.Camera, Chair);

        var s = await session.BroadcastAsync(net.District2, Chair);

        Assert.Null(s.BroadcastFeedId);
        Assert.All(s.Venues, v => Assert.Null(v.ViewingFeedId));
        Assert.DoesNotContain((await session.GetConferencePlanAsync())!.Legs, l => l.VideoSourceFeedId is not null);
    }

    [Fact]
    public async Task Detaching_the_broadcast_feed_falls_back_to_the_chair()
    {
        var (net, session) = await LiveAsync();
        await session.BroadcastFeedAsync(net.Camera, Chair);

        var s = await session.DetachFeedAsync(net.Camera, Chair);

        Assert.Empty(s.FeedIds);
        Assert.Null(s.BroadcastFeedId);
        Assert.Equal(net.Main, s.BroadcastVenueId);
        Assert.All(s.Venues, v => Assert.Null(v.ViewingFeedId));
        Assert.Equal(net.Main, Venue(s, net.District1).ViewingVenueId);
        var plan = (await session.GetConferencePlanAsync())!;
        Assert.Empty(plan.Feeds);
        Assert.DoesNotContain(plan.Legs, l => l.VideoSourceFeedId is not null);
    }

    [Fact]
    public async Task Detaching_a_viewed_feed_sends_its_viewer_back_to_the_broadcast()
    {
        var (net, session) = await LiveAsync();
        await session.BroadcastAsync(net.District2, Chair);
        await session.ViewFeedAsync(net.District1, net.Camera, Chair);

        var s = await session.DetachFeedAsync(net.Camera, Chair);

        Assert.Null(Venue(s, net.District1).ViewingFeedId);
        Assert.Equal(net.District2, Venue(s, net.District1).ViewingVenueId);
        Assert.Equal(net.District2, s.BroadcastVenueId);
    }

    [Fact]
    public async Task Detaching_a_feed_not_attached_is_refused_and_changes_nothing()
    {
        var (net, session) = await LiveAsync(attach: false);
        var before = await session.GetAsync();

        var e = await Assert.ThrowsAsync<CommandException>(() => session.DetachFeedAsync(net.Camera, Chair));

        Assert.Equal(CommandErrorKind.NotFound, e.Kind);
        Assert.Equal(before.Version, (await session.GetAsync()).Version);
    }

    [Fact]
    public async Task Polling_rotates_through_venues_and_feeds_past_the_first_period()
    {
        var (net, session) = await LiveAsync();

        var s = await session.PollSourcesAsync([SourceRef.Venue(net.District1), SourceRef.Feed(net.Camera)], 1, Chair);

        Assert.Equal(net.District1, s.BroadcastVenueId);
        Assert.Equal([net.District1], s.Polling!.VenueIds);
        Assert.Equal([net.Camera], s.Polling.FeedIds);
        await Eventually.Until(session.GetAsync, x => x.BroadcastFeedId == net.Camera, TimeSpan.FromSeconds(5));
        await Eventually.Until(session.GetAsync, x => x.BroadcastVenueId == net.District1, TimeSpan.FromSeconds(5));
        await session.StopPollingAsync(Chair);
    }

    [Fact]
    public async Task Detaching_a_polled_feed_leaves_too_short_a_rotation_and_stops_polling()
    {
        var (net, session) = await LiveAsync();
        await session.PollSourcesAsync([SourceRef.Feed(net.Camera), SourceRef.Venue(net.District1)], 60, Chair);

        var s = await session.DetachFeedAsync(net.Camera, Chair);

        Assert.Null(s.Polling);
        Assert.Null(s.BroadcastFeedId);
        Assert.Equal(net.Main, s.BroadcastVenueId);
    }

    [Fact]
    public async Task Polling_by_venue_ids_still_works()
    {
        var (net, session) = await LiveAsync();

        var s = await session.PollAsync(ImmutableArray.Create(net.District1, net.District2), 60, Chair);

        Assert.Equal([net.District1, net.District2], s.Polling!.VenueIds);
        Assert.Equal([SourceRef.Venue(net.District1), SourceRef.Venue(net.District2)], s.Polling.Sources);
        Assert.Equal(net.District1, s.BroadcastVenueId);
    }

    [Fact]
    public async Task A_venue_joining_while_a_feed_is_broadcast_sees_the_feed()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        await session.AttachFeedAsync(net.Camera, "officer");
        await session.BroadcastFeedAsync(net.Camera, Chair);

        var s = await session.AddVenueAsync(net.District2, Chair);

        Assert.Equal(net.Camera, Venue(s, net.District2).ViewingFeedId);
        Assert.Equal(net.Camera, (await session.GetConferencePlanAsync())!.Legs.Single(l => l.VenueId == net.District2).VideoSourceFeedId);
    }

    private async Task<(TestNetwork Net, ISessionGrain Session)> LiveAsync(bool attach = true)
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1, net.District2, net.Police), "officer");
        if (attach)
        {
            await session.AttachFeedAsync(net.Camera, "officer");
        }

        return (net, session);
    }

    private static Participant Venue(SessionSnapshot s, string venueId) => s.Venues.Single(v => v.VenueId == venueId);
}
