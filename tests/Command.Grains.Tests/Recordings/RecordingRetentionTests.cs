using System.ComponentModel.DataAnnotations;
using Command.Contracts;
using Command.Contracts.Audit;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Recordings;

/// <summary>
/// Recordings past the retention period: the sweep expires those that ended longer ago than the period, each once,
/// with an audit entry and a line on the session's timeline, and leaves running and recently ended ones alone.
/// The silo keeps the default six months, so the sweeps here are asked for as of a moment that far ahead.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecordingRetentionTests(ClusterFixture fixture)
{
    private const string Chair = "chair";
    private static readonly TimeSpan Retention = TimeSpan.FromDays(180);

    private IRecordingRetentionGrain Retention_ => fixture.Grains.GetGrain<IRecordingRetentionGrain>(IRecordingRetentionGrain.DefaultKey);

    [Fact]
    public async Task An_ended_recording_expires_once_past_the_period_while_a_later_one_and_a_running_one_are_kept()
    {
        var running = await LiveAsync();
        var runningId = (await running.GetAsync()).RecordingId!;
        var (first, firstEnd) = await EndedAsync();
        await Task.Delay(20, TestContext.Current.CancellationToken);
        var (second, secondEnd) = await EndedAsync();
        Assert.True(secondEnd > firstEnd);
        Assert.Equal(Retention, await Retention_.GetRetentionAsync());

        Assert.DoesNotContain(first.Id, await Retention_.SweepAsync(firstEnd + Retention));
        Assert.NotNull(await Recording(first.Id).GetAsync());

        var expired = await Retention_.SweepAsync(firstEnd + Retention + TimeSpan.FromMilliseconds(10));
        Assert.Contains(first.Id, expired);
        Assert.DoesNotContain(second.Id, expired);
        Assert.DoesNotContain(runningId, expired);
        Assert.Null(await Recording(first.Id).GetAsync());
        Assert.True(await Recording(first.Id).IsExpiredAsync());
        Assert.NotNull(await Recording(second.Id).GetAsync());
        Assert.False(await Recording(second.Id).IsExpiredAsync());

        var timeline = await Session(first.SessionId).GetTimelineAsync();
        var line = Assert.Single(timeline, e => e.Action == "recording-expired");
        Assert.Equal("system", line.Actor);
        Assert.StartsWith($"{first.Id}: kept 180 days", line.Detail);
        Assert.Single(await AuditAsync(first.Id));

        var later = await Retention_.SweepAsync(secondEnd + Retention + TimeSpan.FromDays(400));
        Assert.Contains(second.Id, later);
        Assert.DoesNotContain(first.Id, later);
        Assert.DoesNotContain(runningId, later);
        Assert.Null(await Recording(second.Id).GetAsync());
        Assert.Single(await AuditAsync(first.Id));
        Assert.Single(await AuditAsync(second.Id));
        Assert.Single(await Session(first.SessionId).GetTimelineAsync(), e => e.Action == "recording-expired");

        var live = (await Recording(runningId).GetAsync())!;
        Assert.Equal(RecordingStatus.Recording, live.Status);
        Assert.False(await Recording(runningId).ExpireAsync(DateTimeOffset.UtcNow + TimeSpan.FromDays(1000), Retention));
        Assert.NotNull(await Recording(runningId).GetAsync());
        await running.EndAsync(Chair);
    }

    [Fact]
    public async Task An_expired_recording_stays_expired_whatever_the_bridge_or_the_session_says_afterwards()
    {
        var (recording, end) = await EndedAsync();
        Assert.True(await Recording(recording.Id).ExpireAsync(end + Retention + TimeSpan.FromSeconds(1), Retention));
        var audit = Assert.Single(await AuditAsync(recording.Id));
        Assert.Equal("system", audit.Actor);
        Assert.Equal(200, audit.Outcome);
        Assert.Contains(recording.SessionId, audit.Detail);

        var grain = Recording(recording.Id);
        await grain.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-9", 0, DateTimeOffset.UtcNow, "H264"));
        await grain.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-9", 5, DateTimeOffset.UtcNow, null));
        await grain.StopAsync(DateTimeOffset.UtcNow, "again", Chair);
        await grain.AddChapterAsync(new RecordingChapter(0, DateTimeOffset.UtcNow, "broadcast", null, null, Chair));
        Assert.Null(await grain.GetAsync());
        Assert.True(await grain.IsExpiredAsync());
        Assert.True(await grain.ExpireAsync(DateTimeOffset.UtcNow, Retention));
        Assert.Single(await AuditAsync(recording.Id));

        Assert.False(await Recording(ShortId.New("r")).IsExpiredAsync());
    }

    [Fact]
    public async Task A_recording_tracked_while_running_is_expired_once_it_ends_even_if_its_end_never_reached_the_list()
    {
        var session = await LiveAsync();
        var id = (await session.GetAsync()).RecordingId!;

        // The list holds it as running, as if the report of its end was lost.
        await session.EndAsync(Chair);
        var end = (await Recording(id).GetAsync())!.EndedAt!.Value;
        await Retention_.TrackAsync(id, null);

        Assert.DoesNotContain(id, await Retention_.SweepAsync(end + Retention));
        Assert.Contains(id, await Retention_.SweepAsync(end + Retention + TimeSpan.FromSeconds(1)));
        Assert.Null(await Recording(id).GetAsync());
    }

    [Fact]
    public async Task The_sweep_runs_by_itself_every_check_and_expires_only_what_ended_longer_ago_than_the_period()
    {
        var now = DateTimeOffset.UtcNow;
        var due = await RecordedAsync(now - TimeSpan.FromDays(200), now - Retention - TimeSpan.FromMinutes(1));
        var kept = await RecordedAsync(now - TimeSpan.FromDays(200), now - Retention + TimeSpan.FromMinutes(10));
        var running = await RecordedAsync(now - TimeSpan.FromDays(200), null);
        var check = ClusterFixture.RecordingRetentionCheck;

        await Eventually.Until(() => Recording(due).IsExpiredAsync(), expired => expired, TimeSpan.FromSeconds(30));
        Assert.Null(await Recording(due).GetAsync());
        Assert.Single(await AuditAsync(due));

        // Two more sweeps pass; what is not due stays, and nothing is expired twice.
        await Task.Delay(2.5 * check, TestContext.Current.CancellationToken);
        Assert.NotNull(await Recording(kept).GetAsync());
        Assert.Equal(RecordingStatus.Recording, (await Recording(running).GetAsync())!.Status);
        Assert.Single(await AuditAsync(due));
    }

    [Theory]
    [InlineData(180, 3600, true)]
    [InlineData(0.00005, 0.5, true)]
    [InlineData(0, 3600, false)]
    [InlineData(-1, 3600, false)]
    [InlineData(180, 0, false)]
    public void The_retention_period_must_be_positive_and_the_sweep_interval_sensible(double days, double checkSeconds, bool valid)
    {
        var options = new RecordingOptions { RetentionDays = days, RetentionCheckSeconds = checkSeconds };
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
        if (valid)
        {
            Assert.Equal(TimeSpan.FromDays(days), options.Retention);
        }
    }

    private async Task<ISessionGrain> LiveAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        Assert.NotNull((await session.GetAsync()).RecordingId);
        return session;
    }

    private async Task<(RecordingInfo Recording, DateTimeOffset EndedAt)> EndedAsync()
    {
        var session = await LiveAsync();
        var id = (await session.GetAsync()).RecordingId!;
        await session.EndAsync(Chair);
        var recording = (await Recording(id).GetAsync())!;
        Assert.Equal(RecordingStatus.Ended, recording.Status);
        return (recording, recording.EndedAt!.Value);
    }

    /// <summary>A recording made straight on its grain, started and (unless <paramref name="endedAt"/> is null) ended at the times given.</summary>
    private async Task<string> RecordedAsync(DateTimeOffset startedAt, DateTimeOffset? endedAt)
    {
        var id = ShortId.New("r");
        var recording = Recording(id);
        await recording.StartAsync(new RecordingStart(ShortId.New("s"), null, "retention", startedAt, new RecordingChapter(0, startedAt, "started", null, null, Chair)));
        if (endedAt is { } end)
        {
            await recording.StopAsync(end, "ended", Chair);
        }

        return id;
    }

    private async Task<List<AuditEntry>> AuditAsync(string recordingId)
    {
        var log = fixture.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey);
        var total = (await log.ReadAsync(0, 1)).Total;
        var page = await log.ReadAsync(Math.Max(0, total - 500), 500);
        return [.. page.Entries.Where(e => e.Action == "recording.expire" && e.Target == recordingId)];
    }

    private IRecordingGrain Recording(string id) => fixture.Grains.GetGrain<IRecordingGrain>(id);

    private ISessionGrain Session(string id) => fixture.Grains.GetGrain<ISessionGrain>(id);
}
