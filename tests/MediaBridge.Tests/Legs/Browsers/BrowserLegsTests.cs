using System.Collections.Concurrent;
using System.Net;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Legs;
using MediaBridge.Legs.Browsers;
using MediaBridge.Tests.WebRtc;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Browsers;

/// <summary>Browser legs following the plans: who may join, what a join leaves behind, and when legs end.</summary>
public sealed class BrowserLegsTests : IDisposable, ILegEvents
{
    private readonly MediaEngine media = new(new MediaPorts(IPAddress.Loopback, 46000, 46999), NullLogger<MediaEngine>.Instance);
    private readonly BrowserLegs browsers;
    private readonly LegPlanner planner;
    private readonly ConcurrentQueue<(string Venue, LegState State, string? Reason)> changes = new();

    public BrowserLegsTests()
    {
        var plans = new ConferencePlans();
        browsers = new BrowserLegs(plans, media, DtlsCertificate.Create(), this, [IPAddress.Loopback]);
        planner = new LegPlanner(plans, media, this, browsers);
    }

    [Fact]
    public void Only_a_venue_of_a_live_session_on_this_bridge_may_join_and_only_with_a_usable_offer()
    {
        Assert.Equal(BrowserJoinStatus.NotLive, browsers.Join(new BrowserJoin("s1", "a", WebRtcAnswererTests.ChromiumOffer)).Status);
        planner.Apply(Plan("s1", 1, "a", "b"));

        Assert.Equal(BrowserJoinStatus.NotInSession, browsers.Join(new BrowserJoin("s1", "c", WebRtcAnswererTests.ChromiumOffer)).Status);
        var bad = browsers.Join(new BrowserJoin("s1", "a", "v=0\r\nnot an offer"));
        Assert.Equal(BrowserJoinStatus.BadOffer, bad.Status);
        Assert.Contains("SDP", bad.Error, StringComparison.Ordinal);
        Assert.Equal(0, media.LegCount);
        Assert.Empty(changes);
    }

    [Fact]
    public void A_join_answers_from_one_port_and_a_second_join_of_the_venue_replaces_the_first()
    {
        planner.Apply(Plan("s2", 1, "a", "b"));

        var first = browsers.Join(new BrowserJoin("s2", "a", WebRtcAnswererTests.ChromiumOffer));
        var second = browsers.Join(new BrowserJoin("s2", "a", WebRtcAnswererTests.ChromiumOffer));

        Assert.Equal((BrowserJoinStatus.Joined, BrowserJoinStatus.Joined), (first.Status, second.Status));
        Assert.NotEqual(first.LegId, second.LegId);
        Assert.Contains("a=ice-lite", second.AnswerSdp, StringComparison.Ordinal);
        Assert.Equal(1, browsers.ActiveLegs);
        Assert.Equal(1, media.LegCount);
        Assert.True(browsers.Holds("s2", "a"));
        Assert.Equal(LegState.Calling, browsers.States("s2")["a"]);
        Assert.False(browsers.Leave("s2", first.LegId!));
        Assert.False(browsers.Leave("other-session", second.LegId!));
        Assert.True(browsers.Leave("s2", second.LegId!));
        Assert.Equal((0, 0), (browsers.ActiveLegs, media.LegCount));
        Assert.Equal([LegState.Calling, LegState.Calling, LegState.Ended], changes.Select(c => c.State));
    }

    [Fact]
    public void Legs_end_when_their_venue_leaves_the_plan_or_the_session_ends_and_stale_plans_change_nothing()
    {
        planner.Apply(Plan("s3", 5, "a", "b"));
        browsers.Join(new BrowserJoin("s3", "a", WebRtcAnswererTests.ChromiumOffer));
        browsers.Join(new BrowserJoin("s3", "b", WebRtcAnswererTests.ChromiumOffer));

        planner.Apply(Plan("s3", 4, "b"));
        Assert.Equal(2, browsers.ActiveLegs);

        planner.Apply(Plan("s3", 6, "b"));
        Assert.False(browsers.Holds("s3", "a"));
        Assert.Contains(changes, c => c is ("a", LegState.Ended, "the venue left the session"));

        planner.Apply(new ConferencePlan("s3", false, [], 7));
        Assert.Equal(0, browsers.ActiveLegs);
        Assert.Contains(changes, c => c is ("b", LegState.Ended, "the session ended"));
        Assert.Equal(BrowserJoinStatus.NotLive, browsers.Join(new BrowserJoin("s3", "b", WebRtcAnswererTests.ChromiumOffer)).Status);
    }

    [Fact]
    public void The_answer_writes_each_candidate_once_in_the_rfc8839_grammar()
    {
        planner.Apply(Plan("s4", 1, "a"));

        var answer = browsers.Join(new BrowserJoin("s4", "a", WebRtcAnswererTests.ChromiumOffer)).AnswerSdp!;

        var candidates = answer.Split("\r\n").Where(l => l.StartsWith("a=candidate", StringComparison.Ordinal)).ToList();
        var port = candidates.Count > 0 ? candidates[0].Split(' ')[5] : "";
        Assert.Contains($"\r\na=candidate:1 1 udp 2130706431 127.0.0.1 {port} typ host\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("candidate:candidate", answer, StringComparison.Ordinal);
        Assert.All(candidates, line => Assert.True(MediaBridge.Tests.Ice.ChromiumCandidateParser.TryParse(line, out var error), $"{line}: {error}"));
        planner.Apply(new ConferencePlan("s4", false, [], 2));
    }

    void ILegEvents.Changed(string sessionId, string venueId, LegState state, string? reason) => changes.Enqueue((venueId, state, reason));

    void ILegEvents.Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states)
    {
    }

    void ILegEvents.TerminalLost(string venueId)
    {
    }

    public void Dispose()
    {
        browsers.Dispose();
        media.Dispose();
    }

    private static ConferencePlan Plan(string session, long version, params string[] venues) =>
        new(session, true, [.. venues.Select(v => new PlanLeg(v, false, venues.FirstOrDefault(o => o != v)))], version);
}
