using System.Collections.Concurrent;
using System.Net;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Grains.Tests.Infrastructure;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Legs;
using MediaBridge.Legs.Browsers;
using MediaBridge.Legs.Feeds;
using MediaBridge.Legs.Watchers;
using MediaBridge.Tests.Sip.Auth;
using MediaBridge.Tests.WebRtc;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Watchers;

/// <summary>
/// Watches as a kind of leg: what they may watch, that they only receive video, that a venue watch
/// never shows as one of the session's venues, and when they end.
/// </summary>
public sealed class WatchLegsTests : IDisposable, ILegEvents
{
    private static readonly string RecvOnlyOffer = WebRtcAnswererTests.ChromiumOffer.Replace("a=sendrecv", "a=recvonly", StringComparison.Ordinal);

    private readonly ManualTime clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MediaEngine media;
    private readonly ConferencePlans plans = new();
    private readonly BrowserLegs browsers;
    private readonly FeedLegs feeds;
    private readonly WatchLegs watches;
    private readonly LegPlanner planner;
    private readonly List<PlanFeed> ingested = [];
    private readonly ConcurrentQueue<string> ended = new();
    private readonly ConcurrentQueue<(string Session, IReadOnlyList<LegMeasure> Legs, IReadOnlyDictionary<string, LegState> States)> measured = new();
    private readonly ConcurrentQueue<string> changed = new();

    public WatchLegsTests()
    {
        var first = 47000 + (Random.Shared.Next(0, 100) * 20);
        media = new MediaEngine(new MediaPorts(IPAddress.Loopback, first, first + 200), NullLogger<MediaEngine>.Instance) { ReportEvery = TimeSpan.FromMilliseconds(100) };
        var certificate = DtlsCertificate.Create();
        browsers = new BrowserLegs(plans, media, certificate, this, [IPAddress.Loopback]);
        feeds = new FeedLegs(media, new NoReports(), new FeedOptions { LetGo = TimeSpan.FromSeconds(10) }, clock, (feed, _) =>
        {
            lock (ingested)
            {
                ingested.Add(feed);
            }

            return new StillIngest();
        });
        watches = new WatchLegs(plans, media, feeds, certificate, [IPAddress.Loopback], NullLogger<WatchLegs>.Instance);
        planner = new LegPlanner(plans, media, this, feeds, browsers, watches);
        watches.Reroute = planner.Reroute;
        watches.Ended += ended.Enqueue;
    }

    [Fact]
    public void A_camera_watch_takes_h264_only_sends_video_only_and_holds_the_camera_once_until_it_ends()
    {
        var camera = new PlanFeed("cam-" + Guid.NewGuid().ToString("N"), "rtsp://127.0.0.1:9/cam", null, null);
        var target = WatchTarget.OfFeed(camera.FeedId);

        var vp8 = watches.Watch(new WatchRequest(target, RecvOnlyOffer.Replace("a=rtpmap:102 H264/90000", "a=rtpmap:102 H265/90000", StringComparison.Ordinal)) { Feed = camera });
        Assert.Equal(WatchStatus.BadOffer, vp8.Status);
        Assert.Contains("H.264", vp8.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (watches.ActiveLegs, media.LegCount, media.ConferenceCount));
        Assert.Empty(ingested);

        var first = watches.Watch(new WatchRequest(target, RecvOnlyOffer) { Feed = camera });
        var second = watches.Watch(new WatchRequest(target, WebRtcAnswererTests.ChromiumOffer) { Feed = camera });

        Assert.Equal((WatchStatus.Watching, WatchStatus.Watching), (first.Status, second.Status));
        Assert.Contains("m=audio 0 ", second.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:102 H264/90000\r\n", second.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("a=sendonly\r\n", second.AnswerSdp, StringComparison.Ordinal);
        Assert.DoesNotContain("a=sendrecv", second.AnswerSdp, StringComparison.Ordinal);
        Assert.Single(ingested);
        Assert.Empty(feeds.UsersOf(camera.FeedId)!);
        Assert.Equal((2, 2), (watches.ActiveLegs, media.ConferenceCount));

        Assert.False(watches.End(WatchTarget.OfFeed("another"), first.WatchId!));
        Assert.True(watches.End(target, first.WatchId!));
        Assert.True(watches.End(target, second.WatchId!));
        Assert.False(watches.End(target, second.WatchId!));
        Assert.Equal((0, 0, 0), (watches.ActiveLegs, media.LegCount, media.ConferenceCount));
        Assert.Empty(ended);

        Assert.Equal(1, feeds.Ingested);
        clock.Now += TimeSpan.FromSeconds(10);
        planner.Tick();
        Assert.Equal(0, feeds.Ingested);
    }

    [Fact]
    public void A_venue_watch_needs_a_live_session_with_a_picture_and_the_venue_in_it()
    {
        var session = "s-" + Guid.NewGuid().ToString("N");
        var target = WatchTarget.OfVenue(session, "a");
        Assert.Equal(WatchStatus.NotLive, watches.Watch(new WatchRequest(target, RecvOnlyOffer)).Status);
        planner.Apply(Plan(session, 1, "a", "b"));

        Assert.Equal(WatchStatus.NoPicture, watches.Watch(new WatchRequest(target, RecvOnlyOffer)).Status);
        Assert.Equal(BrowserJoinStatus.Joined, browsers.Join(new BrowserJoin(session, "a", WebRtcAnswererTests.ChromiumOffer)).Status);
        Assert.Equal(WatchStatus.NotFound, watches.Watch(new WatchRequest(WatchTarget.OfVenue(session, "c"), RecvOnlyOffer)).Status);
        var sendOnly = watches.Watch(new WatchRequest(target, RecvOnlyOffer.Replace("a=recvonly", "a=sendonly", StringComparison.Ordinal)));
        Assert.Equal(WatchStatus.BadOffer, sendOnly.Status);
        Assert.Equal(WatchStatus.BadOffer, watches.Watch(new WatchRequest(target, "v=0\r\nnot an offer")).Status);
        Assert.Equal(1, media.LegCount);
    }

    [Fact]
    public async Task A_venue_watch_is_a_member_of_the_conference_but_none_of_its_venues_and_ends_when_the_plan_drops_the_venue()
    {
        var session = "s-" + Guid.NewGuid().ToString("N");
        planner.Apply(Plan(session, 1, "a", "b"));
        browsers.Join(new BrowserJoin(session, "a", WebRtcAnswererTests.ChromiumOffer));
        var changes = changed.Count;

        var watch = watches.Watch(new WatchRequest(WatchTarget.OfVenue(session, "a"), WebRtcAnswererTests.ChromiumOffer));

        Assert.Equal(WatchStatus.Watching, watch.Status);
        Assert.Contains("a=rtpmap:96 VP8/90000\r\n", watch.AnswerSdp, StringComparison.Ordinal);
        Assert.Equal(2, media.LegCount);
        Assert.Equal(["a"], planner.LiveVenues(session));
        Assert.Equal(changes, changed.Count);
        Assert.Equal([KeyValuePair.Create($"watch:{watch.WatchId}", (true, (string?)"a", (string?)null))], watches.Members(plans.Find(session)!));

        var report = await Eventually.Until(
            () => Task.FromResult(measured.FirstOrDefault(m => m.Session == session && m.Legs.Any(l => l.VenueId.StartsWith("watch:", StringComparison.Ordinal)))),
            m => m.Legs is not null,
            TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(report.States.Keys, k => k.StartsWith("watch:", StringComparison.Ordinal));

        planner.Apply(Plan(session, 2, "b"));
        Assert.Equal(0, watches.ActiveLegs);
        Assert.Equal([watch.WatchId!], ended);
        Assert.False(watches.End(WatchTarget.OfVenue(session, "a"), watch.WatchId!));
        Assert.Equal(0, media.LegCount);
    }

    void ILegEvents.Changed(string sessionId, string venueId, LegState state, string? reason) => changed.Enqueue(venueId);

    void ILegEvents.Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states) =>
        measured.Enqueue((sessionId, legs, states));

    void ILegEvents.TerminalLost(string venueId)
    {
    }

    public void Dispose()
    {
        watches.Dispose();
        browsers.Dispose();
        feeds.Dispose();
        media.Dispose();
    }

    private static ConferencePlan Plan(string session, long version, params string[] venues) =>
        new(session, true, [.. venues.Select(v => new PlanLeg(v, false, venues.FirstOrDefault(o => o != v)))], version);

    private sealed class StillIngest : IFeedIngest
    {
        public FeedStatus Status => FeedStatus.Connecting;

        public FeedMediaReport Measure(TimeSpan lease) => new("", Status, null, null, null, null, null, null, lease);

        public void Dispose()
        {
        }
    }

    private sealed class NoReports : IFeedReports
    {
        public void Report(string feedId, FeedMediaReport report)
        {
        }
    }
}
