using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Incidents;

[Collection(ClusterCollection.Name)]
public sealed class IncidentTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    [Theory]
    [InlineData(1, RegionLevel.Province)]
    [InlineData(2, RegionLevel.Province)]
    [InlineData(3, RegionLevel.City)]
    [InlineData(4, RegionLevel.District)]
    public async Task Severity_decides_the_commanding_level(int severity, RegionLevel level)
    {
        var net = await TestNetwork.CreateAsync(Grains);

        var incident = await NewIncident().CreateAsync(new CreateIncidentCommand("内涝", "flood", severity, net.TownshipCode), "officer");

        Assert.Equal(level, incident.CommandLevel);
        var (region, venue) = level switch
        {
            RegionLevel.Province => (net.ProvinceCode, net.Province),
            RegionLevel.City => (net.CityCode, net.Main),
            _ => (net.District1Code, net.District1),
        };
        Assert.Equal(region, incident.CommandRegionCode);
        Assert.Equal(venue, incident.CommandVenueId);
        Assert.Equal(IncidentStatus.Reported, incident.Status);
    }

    [Fact]
    public async Task A_city_incident_of_severity_IV_is_commanded_by_the_city_itself()
    {
        var net = await TestNetwork.CreateAsync(Grains);

        var incident = await NewIncident().CreateAsync(new CreateIncidentCommand("停电", "power", 4, net.CityCode), "officer");

        Assert.Equal(RegionLevel.City, incident.CommandLevel);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Severity_outside_I_to_IV_is_refused(int severity)
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var grain = NewIncident();

        var e = await Assert.ThrowsAsync<CommandException>(
            () => grain.CreateAsync(new CreateIncidentCommand("x", "flood", severity, net.CityCode), "officer"));

        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
        await Assert.ThrowsAsync<CommandException>(grain.GetAsync);
    }

    [Fact]
    public async Task An_unknown_region_is_refused()
    {
        var e = await Assert.ThrowsAsync<CommandException>(
            () => NewIncident().CreateAsync(new CreateIncidentCommand("x", "flood", 3, "999999"), "officer"));

        Assert.Equal(CommandErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task Escalation_raises_the_level_and_hands_the_live_session_to_the_new_command_venue()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var incident = NewIncident();
        await incident.CreateAsync(new CreateIncidentCommand("山体滑坡", "landslide", 4, net.TownshipCode), "officer");
        var session = Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(
            new CreateSessionCommand("滑坡处置", SessionKind.Emergency, net.District1, [net.Township], incident.GetPrimaryKeyString()),
            "officer");
        await session.LockAsync(true, "officer");

        var escalated = await incident.EscalateAsync("officer", "casualties reported");

        Assert.Equal(3, escalated.Severity);
        Assert.Equal(RegionLevel.City, escalated.CommandLevel);
        var s = await session.GetAsync();
        Assert.Equal(net.Main, s.ChairVenueId);
        Assert.Equal(ParticipantStatus.Joined, s.Venues.Single(v => v.VenueId == net.Main).Status);
        Assert.Contains(escalated.Timeline, t => t.Action == "escalated" && t.Source.StartsWith("incident:", StringComparison.Ordinal));
        Assert.Contains(escalated.Timeline, t => t.Action == "escalated" && t.Source.StartsWith("session:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Escalation_stops_at_severity_I()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var incident = NewIncident();
        await incident.CreateAsync(new CreateIncidentCommand("地震", "earthquake", 2, net.CityCode), "officer");
        var top = await incident.EscalateAsync("officer", null);
        Assert.Equal(1, top.Severity);
        Assert.Equal(RegionLevel.Province, top.CommandLevel);

        var e = await Assert.ThrowsAsync<CommandException>(() => incident.EscalateAsync("officer", null));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Equal(top.Version, (await incident.GetAsync()).Version);
    }

    [Fact]
    public async Task Status_moves_forward_only_and_a_closed_incident_refuses_changes()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var incident = NewIncident();
        await incident.CreateAsync(new CreateIncidentCommand("火灾", "fire", 4, net.District2Code), "officer");
        var session = Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(
            new CreateSessionCommand("火灾处置", SessionKind.Emergency, net.District2, [], incident.GetPrimaryKeyString()), "officer");

        Assert.Equal(IncidentStatus.Responding, (await incident.GetAsync()).Status);
        var closed = await incident.SetStatusAsync(IncidentStatus.Closed, "officer", ClosingSessions.End);
        Assert.Equal(IncidentStatus.Closed, closed.Status);

        await Assert.ThrowsAsync<CommandException>(() => incident.SetStatusAsync(IncidentStatus.Responding, "officer"));
        await Assert.ThrowsAsync<CommandException>(() => incident.EscalateAsync("officer", null));
        await Assert.ThrowsAsync<CommandException>(
            () => Grains.GetGrain<ISessionGrain>(ShortId.New("s")).CreateAsync(
                new CreateSessionCommand("late", SessionKind.Emergency, net.Police, [], incident.GetPrimaryKeyString()), "officer"));
        Assert.Equal(closed.Version, (await incident.GetAsync()).Version);
    }

    [Fact]
    public async Task The_timeline_merges_incident_and_session_actions_in_time_order()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var incident = NewIncident();
        await incident.CreateAsync(new CreateIncidentCommand("台风", "typhoon", 3, net.CityCode), "officer-a");
        var session = Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(
            new CreateSessionCommand("防台会商", SessionKind.Emergency, net.Main, [net.District1, net.District2], incident.GetPrimaryKeyString()),
            "officer-a");
        await session.BroadcastAsync(net.District1, "chair-b");
        await incident.AttachFeedAsync(net.Camera, "officer-a");

        var snapshot = await incident.GetAsync();

        Assert.Equal(
            ["reported", "created", "started", "session-linked", "broadcast", "feed-attached", "feed-attached"],
            snapshot.Timeline.Select(t => t.Action));
        Assert.Contains(snapshot.Timeline, t => t.Action == "broadcast" && t.Actor == "chair-b");
        Assert.Equal([net.Camera], snapshot.FeedIds);
        Assert.Equal([net.Camera], (await session.GetAsync()).FeedIds);
    }

    [Fact]
    public async Task Closing_with_sessions_running_and_no_choice_is_refused_naming_them_and_changes_nothing()
    {
        var (_, incident, live, scheduled) = await IncidentWithSessionsAsync();
        var before = await incident.GetAsync();

        var e = await Assert.ThrowsAsync<CommandException>(() => incident.SetStatusAsync(IncidentStatus.Closed, "officer"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains(live.GetPrimaryKeyString() + " (live)", e.Message);
        Assert.Contains(scheduled.GetPrimaryKeyString() + " (scheduled)", e.Message);
        var after = await incident.GetAsync();
        Assert.Equal(IncidentStatus.Responding, after.Status);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Timeline.Length, after.Timeline.Length);
        Assert.Equal(SessionPhase.Live, (await live.GetAsync()).State);
    }

    [Fact]
    public async Task Closing_with_end_ends_each_running_session_and_both_timelines_say_so()
    {
        var (net, incident, live, scheduled) = await IncidentWithSessionsAsync();

        var closed = await incident.SetStatusAsync(IncidentStatus.Closed, "officer", ClosingSessions.End);

        Assert.Equal(IncidentStatus.Closed, closed.Status);
        foreach (var session in new[] { live, scheduled })
        {
            var s = await session.GetAsync();
            Assert.Equal(SessionPhase.Ended, s.State);
            Assert.Equal("incident closed", s.EndReason);
            Assert.Contains(await session.GetTimelineAsync(), t => t.Action == "ended" && t.Detail == "incident closed");
            Assert.Contains(closed.Timeline, t => t.Action == "session-ended" && t.Detail.StartsWith(session.GetPrimaryKeyString(), StringComparison.Ordinal));
        }

        Assert.Null((await Grains.GetGrain<Contracts.Venues.IVenueGrain>(net.Township).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task Closing_with_keep_needs_a_reason_and_leaves_the_sessions_running()
    {
        var (_, incident, live, scheduled) = await IncidentWithSessionsAsync();

        var e = await Assert.ThrowsAsync<CommandException>(
            () => incident.SetStatusAsync(IncidentStatus.Closed, "officer", ClosingSessions.Keep, " "));
        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
        Assert.Equal(IncidentStatus.Responding, (await incident.GetAsync()).Status);

        var closed = await incident.SetStatusAsync(IncidentStatus.Closed, "officer", ClosingSessions.Keep, "灾后恢复仍需调度");

        Assert.Equal(IncidentStatus.Closed, closed.Status);
        Assert.Equal(SessionPhase.Live, (await live.GetAsync()).State);
        Assert.Equal(SessionPhase.Scheduled, (await scheduled.GetAsync()).State);
        foreach (var session in new[] { live, scheduled })
        {
            Assert.Contains(await session.GetTimelineAsync(), t => t.Action == "incident-closed" && t.Detail.Contains("灾后恢复仍需调度"));
            Assert.Contains(closed.Timeline, t => t.Action == "session-kept" && t.Detail.StartsWith(session.GetPrimaryKeyString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Closing_with_every_session_ended_needs_no_choice()
    {
        var (_, incident, live, scheduled) = await IncidentWithSessionsAsync();
        await live.EndAsync("chair");
        await scheduled.EndAsync("chair");

        var closed = await incident.SetStatusAsync(IncidentStatus.Closed, "officer");

        Assert.Equal(IncidentStatus.Closed, closed.Status);
    }

    private async Task<(TestNetwork Net, IIncidentGrain Incident, ISessionGrain Live, ISessionGrain Scheduled)> IncidentWithSessionsAsync()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var incident = NewIncident();
        await incident.CreateAsync(new CreateIncidentCommand("泥石流", "debris-flow", 4, net.District1Code), "officer");
        var id = incident.GetPrimaryKeyString();
        var live = Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await live.CreateAsync(new CreateSessionCommand("抢险", SessionKind.Emergency, net.District1, [net.Township], id), "officer");
        var scheduled = Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await scheduled.CreateAsync(
            new CreateSessionCommand("复盘", SessionKind.Meeting, net.District2, [], id, DateTimeOffset.UtcNow.AddDays(1)), "officer");
        return (net, incident, live, scheduled);
    }

    private IIncidentGrain NewIncident() => Grains.GetGrain<IIncidentGrain>(ShortId.New("inc"));
}
