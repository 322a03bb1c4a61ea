using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Legs;
using MediaBridge.Legs.Feeds;
using MediaBridge.Tests.Sip.Auth;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>Cameras are ingested once per bridge while any session uses them, let go a while after the last leaves, and reported.</summary>
public sealed class FeedLegsTests : IDisposable
{
    private readonly ManualTime clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MediaEngine media;
    private readonly List<FakeIngest> started = [];
    private readonly ConcurrentQueue<(string FeedId, FeedMediaReport Report)> reports = new();
    private readonly FeedLegs feeds;
    private readonly LegPlanner planner;

    public FeedLegsTests()
    {
        var first = 40000 + (Random.Shared.Next(0, 500) * 20);
        media = new MediaEngine(new MediaPorts(IPAddress.Loopback, first, first + 200), NullLogger<MediaEngine>.Instance);
        feeds = new FeedLegs(media, new Recorder(reports), new FeedOptions { LetGo = TimeSpan.FromSeconds(10), ReportEvery = TimeSpan.FromSeconds(5) }, clock,
            (feed, camera) =>
            {
                var ingest = new FakeIngest(feed, camera);
                started.Add(ingest);
                return ingest;
            });
        planner = new LegPlanner(new ConferencePlans(), media, new NoEvents(), feeds);
    }

    [Fact]
    public void A_camera_used_by_two_sessions_is_ingested_once_and_reaches_both_rooms()
    {
        var cam = Feed("cam-" + Guid.NewGuid().ToString("N"));
        planner.Apply(Plan("s1", 1, cam));
        planner.Apply(Plan("s2", 1, cam));

        Assert.Single(started);
        Assert.Equal(["s1", "s2"], feeds.UsersOf(cam.FeedId)!.Order());
        Assert.Equal(2, started[0].Camera.Rooms);
        Assert.Equal(2, feeds.ActiveLegs);
    }

    [Fact]
    public void The_last_user_leaving_lets_the_camera_go_only_after_the_delay_and_a_return_within_it_keeps_the_same_ingest()
    {
        var cam = Feed("cam-" + Guid.NewGuid().ToString("N"));
        planner.Apply(Plan("s1", 1, cam));
        planner.Apply(Plan("s2", 1, cam));
        planner.Apply(Plan("s1", 2));
        Assert.Equal(["s2"], feeds.UsersOf(cam.FeedId)!);
        planner.Apply(Plan("s2", 2) with { Live = false });
        Assert.Empty(feeds.UsersOf(cam.FeedId)!);

        clock.Now += TimeSpan.FromSeconds(9.9);
        planner.Tick();
        Assert.Equal(1, feeds.Ingested);
        Assert.False(started[0].Disposed);

        planner.Apply(Plan("s1", 3, cam));
        clock.Now += TimeSpan.FromSeconds(30);
        planner.Tick();
        Assert.Single(started);
        Assert.Equal(1, feeds.Ingested);

        planner.Apply(Plan("s1", 4));
        clock.Now += TimeSpan.FromSeconds(10);
        planner.Tick();
        Assert.Equal(0, feeds.Ingested);
        Assert.True(SpinWait.SpinUntil(() => started[0].Disposed, TimeSpan.FromSeconds(5)));
        Assert.Equal(FeedStatus.Offline, reports.Last(r => r.FeedId == cam.FeedId).Report.Status);
        Assert.Equal(0, started[0].Camera.Rooms);

        planner.Apply(Plan("s1", 5, cam));
        Assert.Equal(2, started.Count);
    }

    [Fact]
    public void Status_changes_are_reported_at_the_next_tick_and_otherwise_every_period_with_a_lease_of_three()
    {
        var cam = Feed("cam-" + Guid.NewGuid().ToString("N"));
        planner.Apply(Plan("s1", 1, cam));
        Assert.Equal(FeedStatus.Connecting, reports.Single().Report.Status);
        Assert.Equal(TimeSpan.FromSeconds(15), reports.Single().Report.Lease);

        started[0].Status = FeedStatus.Online;
        clock.Now += TimeSpan.FromSeconds(1);
        planner.Tick();
        Assert.Equal(FeedStatus.Online, reports.Last().Report.Status);
        Assert.Equal(2, reports.Count);

        clock.Now += TimeSpan.FromSeconds(4);
        planner.Tick();
        Assert.Equal(2, reports.Count);
        clock.Now += TimeSpan.FromSeconds(1);
        planner.Tick();
        Assert.Equal(3, reports.Count);
    }

    public void Dispose()
    {
        feeds.Dispose();
        media.Dispose();
    }

    private static PlanFeed Feed(string id) => new(id, "rtsp://127.0.0.1:9/cam", null, null);

    private static ConferencePlan Plan(string session, long version, params PlanFeed[] feeds) =>
        new(session, true, [new PlanLeg("v1", false, null) { VideoSourceFeedId = feeds.FirstOrDefault()?.FeedId }], version) { Feeds = [.. feeds] };

    private sealed class FakeIngest(PlanFeed feed, CameraFeed camera) : IFeedIngest
    {
        public PlanFeed Feed { get; } = feed;

        public CameraFeed Camera { get; } = camera;

        public volatile bool Disposed;

        public FeedStatus Status { get; set; } = FeedStatus.Connecting;

        public FeedMediaReport Measure(TimeSpan lease) => new("", Status, null, null, null, null, null, null, lease);

        public void Dispose() => Disposed = true;
    }

    private sealed class Recorder(ConcurrentQueue<(string, FeedMediaReport)> into) : IFeedReports
    {
        public void Report(string feedId, FeedMediaReport report) => into.Enqueue((feedId, report));
    }

    private sealed class NoEvents : ILegEvents
    {
        public void Changed(string sessionId, string venueId, LegState state, string? reason)
        {
        }

        public void Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states)
        {
        }

        public void TerminalLost(string venueId)
        {
        }
    }
}
