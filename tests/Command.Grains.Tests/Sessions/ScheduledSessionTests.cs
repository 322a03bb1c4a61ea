using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Sessions;

[Collection(ClusterCollection.Name)]
public sealed class ScheduledSessionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_scheduled_session_opens_check_in_and_starts_on_time_by_reminder()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        var start = DateTimeOffset.UtcNow.AddSeconds(3);
        var created = await session.CreateAsync(net.Meeting(net.District1) with { ScheduledStart = start, CheckInLeadMinutes = 5 }, "operator");
        Assert.True(created.CheckInOpen);

        await session.CheckInAsync(net.District1, "district-1");

        var live = await Eventually.Until(session.GetAsync, s => s.State == SessionPhase.Live, TimeSpan.FromSeconds(15));
        Assert.True(live.StartedAt >= start.AddMilliseconds(-50), $"started {live.StartedAt:O}, due {start:O}");
        Assert.True(live.StartedAt <= start.AddSeconds(2), $"started {live.StartedAt:O}, due {start:O}");
        Assert.True(live.Venues.Single(v => v.VenueId == net.District1).CheckedIn);
        Assert.Contains(await session.GetTimelineAsync(), t => t.Action == "started" && t.Actor == "schedule");
    }

    [Fact]
    public async Task Check_in_is_refused_before_the_window_opens()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Meeting(net.District1) with { ScheduledStart = DateTimeOffset.UtcNow.AddHours(2), CheckInLeadMinutes = 15 }, "operator");

        var e = await Assert.ThrowsAsync<CommandException>(() => session.CheckInAsync(net.District1, "district-1"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains("opens at", e.Message);
    }

    [Fact]
    public async Task A_session_with_a_scheduled_end_ends_itself_and_frees_its_venues()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        var start = DateTimeOffset.UtcNow.AddSeconds(2);
        await session.CreateAsync(net.Meeting(net.District1) with { ScheduledStart = start, ScheduledEnd = start.AddSeconds(2) }, "operator");

        var ended = await Eventually.Until(session.GetAsync, s => s.State == SessionPhase.Ended, TimeSpan.FromSeconds(15));

        Assert.Equal("scheduled end reached", ended.EndReason);
        Assert.Null((await fixture.Grains.GetGrain<Contracts.Venues.IVenueGrain>(net.District1).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task An_automatic_start_goes_ahead_without_a_venue_that_is_busy_elsewhere()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"))
            .CreateAsync(net.Emergency(net.District2) with { ChairVenueId = net.Police }, "officer");
        var meeting = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await meeting.CreateAsync(net.Meeting(net.District1, net.District2) with { ScheduledStart = DateTimeOffset.UtcNow.AddSeconds(2) }, "operator");

        var live = await Eventually.Until(meeting.GetAsync, s => s.State == SessionPhase.Live, TimeSpan.FromSeconds(15));

        var busy = live.Venues.Single(v => v.VenueId == net.District2);
        Assert.Equal(ParticipantStatus.Busy, busy.Status);
        Assert.Contains("is live in session", busy.Note);
        Assert.Equal(ParticipantStatus.Joined, live.Venues.Single(v => v.VenueId == net.District1).Status);
    }
}
