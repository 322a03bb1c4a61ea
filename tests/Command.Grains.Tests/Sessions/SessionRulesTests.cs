using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Sessions;

[Collection(ClusterCollection.Name)]
public sealed class SessionRulesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_venue_is_live_in_at_most_one_session()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var first = NewSession();
        await first.CreateAsync(net.Emergency(net.District1), "officer");

        var second = NewSession();
        var e = await Assert.ThrowsAsync<CommandException>(
            () => second.CreateAsync(net.Emergency(net.District1, net.District2) with { ChairVenueId = net.Police }, "officer"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains(net.District1, e.Message);
        Assert.Contains(first.GetPrimaryKeyString(), e.Message);
        await Assert.ThrowsAsync<CommandException>(second.GetAsync);
        Assert.Null((await Venue(net.District2).GetAsync())!.SessionId);
        Assert.Null((await Venue(net.Police).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task Starting_a_meeting_with_a_busy_venue_is_refused_and_claims_nothing()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        await NewSession().CreateAsync(net.Emergency(net.District2) with { ChairVenueId = net.Police }, "officer");
        var meeting = NewSession();
        await meeting.CreateAsync(net.Meeting(net.District1, net.District2), "operator");

        await Assert.ThrowsAsync<CommandException>(() => meeting.StartAsync("operator"));

        Assert.Equal(SessionPhase.Scheduled, (await meeting.GetAsync()).State);
        Assert.Null((await Venue(net.Main).GetAsync())!.SessionId);
        Assert.Null((await Venue(net.District1).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task An_emergency_takes_a_venue_from_a_routine_meeting_and_the_meeting_records_why()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var meeting = NewSession();
        await meeting.CreateAsync(net.Meeting(net.District1, net.District2), "operator");
        await meeting.StartAsync("operator");
        await meeting.BroadcastAsync(net.District1, "operator");

        var emergency = NewSession();
        await emergency.CreateAsync(net.Emergency(net.District1) with { ChairVenueId = net.Province }, "officer");

        var m = await meeting.GetAsync();
        var taken = m.Venues.Single(v => v.VenueId == net.District1);
        Assert.Equal(ParticipantStatus.Preempted, taken.Status);
        Assert.Contains(emergency.GetPrimaryKeyString(), taken.Note);
        Assert.Equal(net.Main, m.BroadcastVenueId);
        Assert.Equal(emergency.GetPrimaryKeyString(), (await Venue(net.District1).GetAsync())!.SessionId);
        Assert.Contains(await meeting.GetTimelineAsync(), t => t.Action == "preempted");
    }

    [Fact]
    public async Task An_emergency_never_takes_a_venue_from_another_emergency()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        await NewSession().CreateAsync(net.Emergency(net.District1), "officer");

        var e = await Assert.ThrowsAsync<CommandException>(
            () => NewSession().CreateAsync(net.Emergency(net.District1) with { ChairVenueId = net.Province }, "officer"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
    }

    [Fact]
    public async Task Actions_on_an_ended_session_are_refused_and_its_venues_are_free()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        var ended = await session.EndAsync("officer", "drill over");

        Assert.Equal(SessionPhase.Ended, ended.State);
        Assert.Equal("drill over", ended.EndReason);
        foreach (var act in new Func<Task>[]
                 {
                     () => session.BroadcastAsync(net.District1, "officer"),
                     () => session.AddVenueAsync(net.District2, "officer"),
                     () => session.LockAsync(true, "officer"),
                     () => session.EndAsync("officer"),
                     () => session.StartAsync("officer"),
                 })
        {
            var e = await Assert.ThrowsAsync<CommandException>(act);
            Assert.Equal(CommandErrorKind.Conflict, e.Kind);
            Assert.Contains("ended", e.Message);
        }

        Assert.Equal(ended.Version, (await session.GetAsync()).Version);
        Assert.Equal(VenueStatus.Offline, (await Venue(net.District1).GetAsync())!.Status);
    }

    [Fact]
    public async Task Naming_a_venue_that_is_not_in_the_session_is_refused_with_the_reason()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        var created = await session.CreateAsync(net.Emergency(net.District1), "officer");

        var e = await Assert.ThrowsAsync<CommandException>(() => session.BroadcastAsync(net.District2, "officer"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains($"'{net.District2}' is not in session", e.Message);
        Assert.Equal(created.Version, (await session.GetAsync()).Version);
    }

    [Fact]
    public async Task Floor_actions_need_a_live_session()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Meeting(net.District1), "operator");

        var e = await Assert.ThrowsAsync<CommandException>(() => session.BroadcastAsync(net.District1, "operator"));

        Assert.Contains("not live", e.Message);
    }

    [Fact]
    public async Task Creating_with_bad_input_is_refused_and_creates_nothing()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();

        var unknown = await Assert.ThrowsAsync<CommandException>(() => session.CreateAsync(net.Emergency("no-such-venue"), "x"));
        var noTitle = await Assert.ThrowsAsync<CommandException>(() => session.CreateAsync(net.Emergency() with { Title = " " }, "x"));
        var past = await Assert.ThrowsAsync<CommandException>(
            () => session.CreateAsync(net.Meeting() with { ScheduledStart = DateTimeOffset.UtcNow.AddMinutes(-1) }, "x"));
        var noIncident = await Assert.ThrowsAsync<CommandException>(
            () => session.CreateAsync(net.Emergency() with { IncidentId = "inc-missing" }, "x"));

        Assert.Equal(CommandErrorKind.NotFound, unknown.Kind);
        Assert.Equal(CommandErrorKind.Invalid, noTitle.Kind);
        Assert.Equal(CommandErrorKind.Invalid, past.Kind);
        Assert.Equal(CommandErrorKind.NotFound, noIncident.Kind);
        await Assert.ThrowsAsync<CommandException>(session.GetAsync);
        Assert.Null((await Venue(net.Main).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task Removing_a_venue_frees_it_and_its_viewers_follow_the_broadcast()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");
        await session.ViewAsync(net.District2, net.District1, "officer");

        var s = await session.RemoveVenueAsync(net.District1, "officer");

        Assert.Equal(ParticipantStatus.Left, s.Venues.Single(v => v.VenueId == net.District1).Status);
        Assert.Equal(net.Main, s.Venues.Single(v => v.VenueId == net.District2).ViewingVenueId);
        Assert.Null((await Venue(net.District1).GetAsync())!.SessionId);
        await Assert.ThrowsAsync<CommandException>(() => session.RemoveVenueAsync(net.Main, "officer"));
    }

    [Fact]
    public async Task Feeds_attach_once_and_unknown_feeds_are_refused()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Emergency(net.District1), "officer");

        await session.AttachFeedAsync(net.Camera, "officer");
        var again = await session.AttachFeedAsync(net.Camera, "officer");
        var e = await Assert.ThrowsAsync<CommandException>(() => session.AttachFeedAsync("feed-missing", "officer"));

        Assert.Equal([net.Camera], again.FeedIds);
        Assert.Equal(CommandErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Every_action_is_on_the_timeline_with_its_actor()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");
        await session.BroadcastAsync(net.District2, "chair-1");
        await session.RollCallAsync(net.District1, "chair-2");

        var timeline = await session.GetTimelineAsync();

        Assert.Equal(["created", "started", "broadcast", "rollcall"], timeline.Select(t => t.Action));
        Assert.Equal("chair-2", timeline[^1].Actor);
        Assert.True(timeline.Zip(timeline.Skip(1)).All(p => p.First.At <= p.Second.At));
    }

    [Fact]
    public async Task A_stale_claim_left_by_a_failed_session_does_not_block_the_venue()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        await Venue(net.District1).ClaimAsync("s-never-persisted", SessionKind.Meeting, "ghost");

        var session = NewSession();
        var s = await session.CreateAsync(net.Emergency(net.District1) with { Kind = SessionKind.Emergency }, "officer");

        Assert.Equal(SessionPhase.Live, s.State);
        Assert.Equal(session.GetPrimaryKeyString(), (await Venue(net.District1).GetAsync())!.SessionId);
    }

    private ISessionGrain NewSession() => Grains.GetGrain<ISessionGrain>(ShortId.New("s"));

    private IVenueGrain Venue(string id) => Grains.GetGrain<IVenueGrain>(id);
}
