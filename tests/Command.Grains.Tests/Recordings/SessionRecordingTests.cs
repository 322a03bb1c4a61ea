using Command.Contracts;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Recordings;

/// <summary>Which sessions record, turning recording on and off, the chapters floor changes write, and the bridge's reports.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionRecordingTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    [Fact]
    public async Task An_emergency_records_from_going_live_and_its_plan_carries_the_recording_and_broadcast_source()
    {
        var (net, session) = await CreateAsync(n => n.Emergency(n.District1, n.District2));

        var s = await session.GetAsync();
        Assert.True(s.Record);
        Assert.NotNull(s.RecordingId);
        var plan = await session.GetConferencePlanAsync();
        Assert.Equal(new Command.Contracts.Media.PlanRecording(s.RecordingId!, true, net.Main, null), plan!.Recording);

        var recording = await Recording(s.RecordingId!).GetAsync();
        Assert.Equal(s.Id, recording!.SessionId);
        Assert.Equal(RecordingStatus.Recording, recording.Status);
        Assert.Equal($"/api/recordings/{s.RecordingId}/hls/index.m3u8", recording.Hls);
        Assert.False(recording.Public);
        Assert.Equal(net.Main, Assert.Single(recording.Chapters).VenueId);
        Assert.Equal([s.RecordingId!], await session.GetRecordingIdsAsync());
    }

    [Fact]
    public async Task A_meeting_records_only_when_asked_to()
    {
        var (_, plain) = await CreateAsync(n => n.Meeting(n.District1));
        await plain.StartAsync(Chair);
        Assert.False((await plain.GetAsync()).Record);
        Assert.Null((await plain.GetConferencePlanAsync())!.Recording);

        var (_, recorded) = await CreateAsync(n => n.Meeting(n.District1));
        await recorded.SetRecordingAsync(true, Chair);
        var s = await recorded.StartAsync(Chair);
        Assert.True(s.Record);
        Assert.NotNull(s.RecordingId);
    }

    [Fact]
    public async Task Record_true_at_creation_records_a_meeting()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Meeting(net.District1), "operator");
        Assert.False((await session.GetAsync()).Record);

        var asked = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await asked.CreateAsync(new CreateSessionCommand("meeting", SessionKind.Meeting, net.Main, [net.District1]) { Record = true }, "operator");
        Assert.True((await asked.StartAsync(Chair)).RecordingId is not null);
    }

    [Fact]
    public async Task Broadcasts_and_roll_calls_become_chapters_and_ending_the_session_ends_the_recording()
    {
        var (net, session) = await CreateAsync(n => n.Emergency(n.District1, n.District2));
        var id = (await session.GetAsync()).RecordingId!;

        await session.BroadcastAsync(net.District1, Chair);
        await session.MuteAsync(net.District2, true, Chair);
        await session.RollCallAsync(net.District2, Chair);
        await session.EndAsync(Chair);

        var recording = (await Recording(id).GetAsync())!;
        Assert.Equal([net.Main, net.District1, net.District2], recording.Chapters.Select(c => c.VenueId));
        Assert.Equal(["started", "broadcast", "rollcall"], recording.Chapters.Select(c => c.Action));
        Assert.All(recording.Chapters.Zip(recording.Chapters.Skip(1)), p => Assert.True(p.Second.OffsetSeconds >= p.First.OffsetSeconds));
        Assert.Equal(RecordingStatus.Ended, recording.Status);
        Assert.NotNull(recording.EndedAt);
        Assert.Null((await session.GetAsync()).RecordingId);
    }

    [Fact]
    public async Task Turning_recording_off_and_on_while_live_makes_a_second_recording()
    {
        var (_, session) = await CreateAsync(n => n.Emergency(n.District1));
        var first = (await session.GetAsync()).RecordingId!;

        var off = await session.SetRecordingAsync(false, Chair);
        Assert.Null(off.RecordingId);
        Assert.Null((await session.GetConferencePlanAsync())!.Recording);
        Assert.Equal(RecordingStatus.Ended, (await Recording(first).GetAsync())!.Status);

        var on = await session.SetRecordingAsync(true, Chair);
        Assert.NotEqual(first, on.RecordingId);
        Assert.Equal([first, on.RecordingId!], await session.GetRecordingIdsAsync());
        var timeline = await session.GetTimelineAsync();
        Assert.Contains(timeline, e => e.Action == "recording-ended" && e.Actor == Chair);
        Assert.Contains(timeline, e => e.Action == "started" && e.Detail.Contains($"recording {first}"));
        Assert.Contains(timeline, e => e.Action == "recording-started" && e.Detail == on.RecordingId);
    }

    [Fact]
    public async Task The_bridge_reports_make_the_length_and_the_disk_floor_pauses_with_an_alarm_on_the_session_timeline()
    {
        var (_, session) = await CreateAsync(n => n.Emergency(n.District1));
        var id = (await session.GetAsync()).RecordingId!;
        var recording = Recording(id);
        var now = DateTimeOffset.UtcNow;

        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, now, "H264"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-1", 6.5, now, null));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.LowDisk, "part-1", 0, now, "recording stopped: 10 MB free"));
        var paused = (await recording.GetAsync())!;
        Assert.Equal(RecordingStatus.Paused, paused.Status);
        Assert.Equal("recording stopped: 10 MB free", paused.Alarm);
        Assert.Contains(await session.GetTimelineAsync(), e => e.Action == "recording-stopped" && e.Detail.Contains("10 MB free"));

        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartEnded, "part-1", 7, now, null));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.SpaceBack, "", 0, now, null));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-2", 0, now, "H264"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-2", 3, now, null));
        await session.EndAsync(Chair);
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartEnded, "part-2", 4, now, null));

        var ended = (await recording.GetAsync())!;
        Assert.Equal(RecordingStatus.Ended, ended.Status);
        Assert.Null(ended.Alarm);
        Assert.Equal(11, ended.DurationSeconds);
        Assert.Equal(2, ended.Parts);
        Assert.Contains(await session.GetTimelineAsync(), e => e.Action == "recording-resumed");
    }

    [Fact]
    public async Task Recording_cannot_be_turned_on_for_an_ended_session()
    {
        var (_, session) = await CreateAsync(n => n.Emergency(n.District1));
        await session.EndAsync(Chair);

        var e = await Assert.ThrowsAsync<CommandException>(() => session.SetRecordingAsync(true, Chair));
        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
    }

    private IRecordingGrain Recording(string id) => fixture.Grains.GetGrain<IRecordingGrain>(id);

    private async Task<(TestNetwork Net, ISessionGrain Session)> CreateAsync(Func<TestNetwork, CreateSessionCommand> command)
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(command(net), "officer");
        return (net, session);
    }
}
