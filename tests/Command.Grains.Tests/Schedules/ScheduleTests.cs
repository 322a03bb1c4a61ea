using Command.Contracts;
using Command.Contracts.Schedules;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Schedules;

[Collection(ClusterCollection.Name)]
public sealed class ScheduleTests(ClusterFixture fixture)
{
    private IScheduleGrain Schedule => fixture.Grains.GetGrain<IScheduleGrain>(IScheduleGrain.DefaultKey);

    [Fact]
    public async Task A_venue_booked_twice_at_once_is_refused_with_the_other_booking_named()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var first = await Schedule.BookAsync(new BookingRequest("周例会", net.Main, [net.District1], at, 60), "operator");
        var before = (await Schedule.ListAsync()).Length;

        var e = await Assert.ThrowsAsync<CommandException>(
            () => Schedule.BookAsync(new BookingRequest("专题会", net.Police, [net.District1], at.AddMinutes(30), 60), "operator"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains(first.Id, e.Message);
        Assert.Contains(net.District1, e.Message);
        Assert.Equal(before, (await Schedule.ListAsync()).Length);
    }

    [Fact]
    public async Task Back_to_back_bookings_and_other_venues_do_not_conflict()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var at = DateTimeOffset.UtcNow.AddDays(3);
        await Schedule.BookAsync(new BookingRequest("上午会", net.Main, [net.District1], at, 60), "operator");

        await Schedule.BookAsync(new BookingRequest("紧接会", net.Main, [net.District1], at.AddMinutes(60), 30), "operator");
        await Schedule.BookAsync(new BookingRequest("并行会", net.Police, [net.District2], at, 60), "operator");
    }

    [Fact]
    public async Task A_recurring_booking_conflicts_with_a_later_occurrence_of_another()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var at = DateTimeOffset.UtcNow.AddDays(1);
        var daily = await Schedule.BookAsync(
            new BookingRequest("每日调度", net.Main, [net.District1], at, 30, Recurrence.Daily, 10), "operator");

        var e = await Assert.ThrowsAsync<CommandException>(
            () => Schedule.BookAsync(new BookingRequest("周会", net.Police, [net.District1], at.AddDays(6).AddMinutes(15), 60, Recurrence.Weekly, 4), "operator"));

        Assert.Contains(daily.Id, e.Message);
        await Schedule.BookAsync(new BookingRequest("周会", net.Police, [net.District1], at.AddDays(6).AddMinutes(30), 60, Recurrence.Weekly, 4), "operator");
    }

    [Fact]
    public async Task Bad_bookings_are_refused()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var at = DateTimeOffset.UtcNow.AddDays(1);

        await Assert.ThrowsAsync<CommandException>(() => Schedule.BookAsync(new BookingRequest("x", net.Main, [], DateTimeOffset.UtcNow.AddMinutes(-5), 30), "o"));
        await Assert.ThrowsAsync<CommandException>(() => Schedule.BookAsync(new BookingRequest("x", net.Main, [], at, 0), "o"));
        await Assert.ThrowsAsync<CommandException>(() => Schedule.BookAsync(new BookingRequest("x", net.Main, [], at, 30, Recurrence.None, 3), "o"));
        var unknown = await Assert.ThrowsAsync<CommandException>(() => Schedule.BookAsync(new BookingRequest("x", net.Main, ["nope"], at, 30), "o"));
        Assert.Equal(CommandErrorKind.NotFound, unknown.Kind);
    }

    [Fact]
    public async Task A_booking_opens_its_session_which_checks_in_and_starts_on_time()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var start = DateTimeOffset.UtcNow.AddSeconds(4);

        var booking = await Schedule.BookAsync(new BookingRequest("全市视频会", net.Main, [net.District1, net.District2], start, 1, CheckInLeadMinutes: 10), "operator");

        var session = fixture.Grains.GetGrain<ISessionGrain>(Assert.Single(booking.SessionIds));
        var scheduled = await session.GetAsync();
        Assert.Equal(SessionPhase.Scheduled, scheduled.State);
        Assert.True(scheduled.CheckInOpen);
        Assert.Equal(booking.Id, scheduled.ScheduleId);
        await session.CheckInAsync(net.District2, "district-2");

        var live = await Eventually.Until(session.GetAsync, s => s.State == SessionPhase.Live, TimeSpan.FromSeconds(15));
        Assert.InRange(live.StartedAt!.Value, start.AddMilliseconds(-50), start.AddSeconds(2));
    }

    [Fact]
    public async Task Cancelling_a_booking_ends_its_scheduled_session()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var booking = await Schedule.BookAsync(new BookingRequest("取消的会", net.Main, [net.District1], DateTimeOffset.UtcNow.AddDays(5), 30), "operator");

        var cancelled = await Schedule.CancelAsync(booking.Id, "operator");

        Assert.True(cancelled.Cancelled);
        var session = await fixture.Grains.GetGrain<ISessionGrain>(booking.SessionIds[0]).GetAsync();
        Assert.Equal(SessionPhase.Ended, session.State);
        await Schedule.BookAsync(new BookingRequest("替代会", net.Main, [net.District1], DateTimeOffset.UtcNow.AddDays(5), 30), "operator");
    }

    [Fact]
    public void Occurrences_step_by_day_or_week()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var weekly = new BookingRequest("x", "a", [], start, 90, Recurrence.Weekly, 3);

        var slots = Grains.Schedules.Occurrences.Slots(weekly).ToList();

        Assert.Equal([start, start.AddDays(7), start.AddDays(14)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(90), s.End - s.Start));
    }
}
