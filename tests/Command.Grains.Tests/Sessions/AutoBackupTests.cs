using System.Diagnostics;
using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Grains.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace Command.Grains.Tests.Sessions;

[Collection(ClusterCollection.Name)]
public sealed class AutoBackupTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Emergency_sessions_have_it_on_after_ten_seconds_by_default()
    {
        var net = await TestNetwork.CreateAsync(Grains);

        var s = await NewSession().CreateAsync(net.Emergency(net.District1), "officer");

        Assert.Equal(new AutoBackupSetting(true, 10), s.AutoBackup);
    }

    [Fact]
    public async Task Meetings_have_it_off_by_default_and_a_dropped_leg_stays_put()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        var created = await session.CreateAsync(net.Meeting(net.District1) with { AutoBackupAfterSeconds = 1 }, "operator");
        await session.StartAsync("operator");

        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        Assert.Equal(new AutoBackupSetting(false, 1), created.AutoBackup);
        var s = await session.GetAsync();
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.District1).Status);
        Assert.DoesNotContain(s.Venues, v => v.VenueId == net.Backup);
    }

    [Fact]
    public async Task A_leg_down_for_the_limit_is_replaced_by_the_backup_and_not_before()
    {
        var (net, session) = await LiveAsync(afterSeconds: 2);
        await session.RollCallAsync(net.District1, Chair);
        var clock = Stopwatch.StartNew();

        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped, "no media from the terminal"));
        await Task.Delay(1200, TestContext.Current.CancellationToken);
        Assert.Equal(ParticipantStatus.Joined, Venue(await session.GetAsync(), net.District1).Status);

        var s = await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"replaced after {clock.Elapsed}");
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
        Assert.Equal(net.Backup, s.BroadcastVenueId);
        Assert.Equal(net.Backup, s.SpeakerVenueId);
        Assert.Equal(net.Backup, Venue(s, net.District1).ReplacedBy);
        Assert.True(Venue(s, net.District1).AutoReplaced);
        Assert.Equal(session.GetPrimaryKeyString(), (await fixture.Grains.GetGrain<Contracts.Venues.IVenueGrain>(net.Backup).GetAsync())!.SessionId);
        var entry = Assert.Single(await session.GetTimelineAsync(), e => e.Action == "auto-backup");
        Assert.Equal("system", entry.Actor);
        Assert.Contains("automatically", entry.Detail);
        Assert.Contains(net.District1, entry.Detail);
        Assert.Contains("dropped", entry.Detail);
        Assert.Matches(@"for [2-4]s", entry.Detail);
    }

    [Fact]
    public async Task A_leg_that_reconnects_in_time_cancels_the_takeover()
    {
        var (net, session) = await LiveAsync(afterSeconds: 2);

        await session.ReportLegAsync(Leg(session, net.District1, LegState.Failed, "no answer from the terminal"));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Calling));
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Connected));
        await Task.Delay(3000, TestContext.Current.CancellationToken);

        var s = await session.GetAsync();
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.District1).Status);
        Assert.DoesNotContain(s.Venues, v => v.VenueId == net.Backup);
        Assert.DoesNotContain(await session.GetTimelineAsync(), IsAuto);
    }

    [Fact]
    public async Task A_venue_called_but_never_connected_counts_as_down_from_the_call()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);

        await session.ReportLegAsync(Leg(session, net.District2, LegState.Calling));
        await session.ReportLegAsync(Leg(session, net.District2, LegState.Failed, "the terminal did not answer"));
        await session.ReportLegAsync(Leg(session, net.District2, LegState.Calling));

        var s = await Eventually.Until(session.GetAsync, s => Venue(s, net.District2).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
    }

    [Fact]
    public async Task The_returning_venue_does_not_displace_the_backup_and_the_chair_is_told_once()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);
        await session.BroadcastAsync(net.District1, Chair);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));

        await session.ReportLegAsync(Leg(session, net.District1, LegState.Calling));
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Connected));
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Connected));

        var s = await session.GetAsync();
        var back = Venue(s, net.District1);
        Assert.Equal(ParticipantStatus.Replaced, back.Status);
        Assert.NotNull(back.ReturnedAt);
        Assert.Contains("stays until the chair decides", back.Note);
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
        Assert.Equal(net.Backup, s.BroadcastVenueId);
        var told = Assert.Single(await session.GetTimelineAsync(), e => e.Action == "venue-back");
        Assert.Equal($"venue {net.District1} is back; the backup {net.Backup} stays until the chair decides", told.Detail);

        var readded = await session.AddVenueAsync(net.District1, Chair);
        Assert.Equal(ParticipantStatus.Joined, Venue(readded, net.District1).Status);
        Assert.Null(Venue(readded, net.District1).ReturnedAt);
        Assert.Equal(ParticipantStatus.Joined, Venue(readded, net.Backup).Status);
    }

    [Fact]
    public async Task A_replaced_venue_whose_terminal_registers_again_is_announced_and_the_backup_stays()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));
        Assert.Null(Venue(await session.GetAsync(), net.District1).ReturnedAt);

        // The replaced venue is out of the plan, so no bridge calls it: its registering again is how it comes back.
        var venue = Grains.GetGrain<Command.Contracts.Venues.IVenueGrain>(net.District1);
        await venue.ReportRegistrationAsync(new("bridge-a", true, TimeSpan.FromMinutes(1)));

        var s = await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).ReturnedAt is not null, TimeSpan.FromSeconds(5));
        Assert.Equal(ParticipantStatus.Replaced, Venue(s, net.District1).Status);
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
        Assert.Single(await session.GetTimelineAsync(), e => e.Action == "venue-back");

        // Told once: registering again after another outage says nothing more.
        await venue.ReportRegistrationAsync(new("bridge-a", false, TimeSpan.Zero));
        await venue.ReportRegistrationAsync(new("bridge-a", true, TimeSpan.FromMinutes(1)));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Single(await session.GetTimelineAsync(), e => e.Action == "venue-back");
    }

    [Fact]
    public async Task With_no_backup_free_it_says_so_once_and_a_failing_backup_is_left_to_the_chair()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);

        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));
        await session.ReportLegAsync(Leg(session, net.District2, LegState.Failed));
        await session.ReportLegAsync(Leg(session, net.Backup, LegState.Failed));
        await Eventually.Until(
            session.GetTimelineAsync,
            t => t.Any(e => e.Action == "auto-backup-failed") && t.Any(e => e.Action == "auto-backup-skipped"),
            TimeSpan.FromSeconds(5));
        await session.ReportLegAsync(Leg(session, net.District2, LegState.Calling));
        await session.ReportLegAsync(Leg(session, net.District2, LegState.Failed));
        await Task.Delay(2500, TestContext.Current.CancellationToken);

        var timeline = await session.GetTimelineAsync();
        var failed = Assert.Single(timeline, e => e.Action == "auto-backup-failed");
        Assert.Contains(net.District2, failed.Detail);
        Assert.Contains("could not act", failed.Detail);
        var skipped = Assert.Single(timeline, e => e.Action == "auto-backup-skipped");
        Assert.Contains(net.Backup, skipped.Detail);
        var s = await session.GetAsync();
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.District2).Status);
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
    }

    [Fact]
    public async Task The_chair_changes_the_setting_and_bad_values_change_nothing()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);
        var before = await session.GetAsync();

        var e = await Assert.ThrowsAsync<CommandException>(() => session.SetAutoBackupAsync(true, 0, Chair));
        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
        Assert.Equal(before.Version, (await session.GetAsync()).Version);

        var off = await session.SetAutoBackupAsync(false, null, Chair);
        Assert.Equal(new AutoBackupSetting(false, 1), off.AutoBackup);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        Assert.Equal(ParticipantStatus.Joined, Venue(await session.GetAsync(), net.District1).Status);

        // Turned on again, the outage that is already past the limit is acted on at once.
        var on = await session.SetAutoBackupAsync(true, 1, Chair);
        Assert.Equal(new AutoBackupSetting(true, 1), on.AutoBackup);
        await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(3));
        Assert.Contains(await session.GetTimelineAsync(), t => t.Action == "auto-backup-set" && t.Actor == Chair);
    }

    [Fact]
    public async Task The_setting_and_a_running_outage_survive_a_deactivation()
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Meeting(net.District1, net.District2), "operator");
        await session.StartAsync("operator");
        await session.SetAutoBackupAsync(true, 3, Chair);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        Assert.NotNull(Venue(await session.GetAsync(), net.District1).Media);

        await session.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);

        // Leg statistics live in memory only, so their absence shows a fresh activation; no leg is reported again.
        var reactivated = await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Media is null, TimeSpan.FromSeconds(5));
        Assert.Equal(ParticipantStatus.Joined, Venue(reactivated, net.District1).Status);
        Assert.Equal(new AutoBackupSetting(true, 3), reactivated.AutoBackup);
        var s = await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(6));
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
    }

    [Fact]
    public async Task A_replaced_venue_flagged_as_back_stays_flagged_after_a_deactivation()
    {
        var (net, session) = await LiveAsync(afterSeconds: 1);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
        await Eventually.Until(session.GetAsync, s => Venue(s, net.District1).Status == ParticipantStatus.Replaced, TimeSpan.FromSeconds(5));
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Connected));

        await session.Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await session.ReportLegAsync(Leg(session, net.District1, LegState.Connected));

        var s = await session.GetAsync();
        Assert.NotNull(Venue(s, net.District1).ReturnedAt);
        Assert.Single(await session.GetTimelineAsync(), e => e.Action == "venue-back");
    }

    [Fact]
    public async Task Takeover_time_from_the_dropped_report_to_the_backup_in_the_snapshot()
    {
        const int afterSeconds = 1;
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var (net, session) = await LiveAsync(afterSeconds);
            var clock = Stopwatch.StartNew();
            await session.ReportLegAsync(Leg(session, net.District1, LegState.Dropped));
            while (Venue(await session.GetAsync(), net.District1).Status != ParticipantStatus.Replaced)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(afterSeconds + 3), "no takeover");
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }

            samples.Add(clock.Elapsed.TotalMilliseconds);
            Assert.True(Venue(await session.GetAsync(), net.Backup).Status == ParticipantStatus.Joined);
            await session.EndAsync(Chair);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"auto-backup with afterSeconds={afterSeconds}: report→snapshot {string.Join(", ", samples.Select(ms => $"{ms:0} ms"))}");
        Assert.All(samples, ms => Assert.InRange(ms, afterSeconds * 1000 - 50, afterSeconds * 1000 + 1000));
    }

    private async Task<(TestNetwork Net, ISessionGrain Session)> LiveAsync(int afterSeconds)
    {
        var net = await TestNetwork.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(net.Emergency(net.District1, net.District2) with { AutoBackupAfterSeconds = afterSeconds }, "officer");
        return (net, session);
    }

    private ISessionGrain NewSession() => Grains.GetGrain<ISessionGrain>(ShortId.New("s"));

    private static LegReport Leg(ISessionGrain session, string venueId, LegState state, string? reason = null) =>
        new(session.GetPrimaryKeyString(), venueId, state, reason, DateTimeOffset.UtcNow);

    private static Participant Venue(SessionSnapshot s, string venueId) => s.Venues.Single(v => v.VenueId == venueId);

    private static bool IsAuto(TimelineEntry e) => e.Action.StartsWith("auto-backup", StringComparison.Ordinal);
}
