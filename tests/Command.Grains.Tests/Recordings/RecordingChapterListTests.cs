using Command.Contracts;
using Command.Contracts.Recordings;
using Command.Grains.Recordings;
using Command.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Command.Grains.Tests.Recordings;

/// <summary>
/// A recording's chapters live in a list of their own, not in its state: a session recorded for hours writes as little
/// per floor change as one just started, pages are pushed the chapters' count but not the chapters, and the
/// recording still lists every chapter in order. State written when the chapters were kept in it is moved over once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecordingChapterListTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Venues = ["v-main", "v-south", "v-east", "v-west"];

    [Fact]
    public async Task Three_hundred_chapters_leave_the_written_state_as_small_as_the_first_and_are_all_listed_in_order()
    {
        var id = ShortId.New("r");
        var recording = Recording(id);
        await recording.StartAsync(new RecordingStart(ShortId.New("s"), null, "long session", T0, Chapter(0)));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, T0, "H264"));
        await recording.AddChapterAsync(Chapter(1));
        var afterOne = (await StoredAsync(id)).Size;

        for (var i = 2; i < 300; i++)
        {
            await recording.AddChapterAsync(Chapter(i));
        }

        var (stored, afterAll) = await StoredAsync(id);
        TestContext.Current.TestOutputHelper?.WriteLine($"state written per chapter: {afterOne} bytes after 2 chapters, {afterAll} bytes after 300");

        // Only the version's few bytes may grow.
        Assert.True(afterAll <= afterOne + 4, $"state after 2 chapters: {afterOne} bytes, after 300: {afterAll} bytes");
        Assert.Empty(stored.Chapters);
        Assert.True(stored.Version >= 300, $"version {stored.Version}");

        Assert.Equal(Enumerable.Range(0, 300).Select(At), (await fixture.ChapterStore.ReadAsync(id)).Select(c => c.At));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-1", 600, T0.AddSeconds(600), null));
        var info = (await recording.GetAsync())!;
        Assert.Equal(300, info.ChapterCount);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), info.Chapters.Select(c => c.OffsetSeconds));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Venues[i % Venues.Length]), info.Chapters.Select(c => c.VenueId));

        // Activated afresh, it reads them back from the list.
        await fixture.Cluster.DeactivateAsync(recording);
        Assert.Equal(info.Chapters, (await recording.GetAsync())!.Chapters);
        Assert.Equal(300, (await fixture.ChapterStore.ReadAsync(id)).Count);
    }

    [Fact]
    public async Task A_change_is_pushed_with_the_chapters_count_but_not_the_chapters_which_the_recording_still_returns()
    {
        await using var pushed = await PushedRecordings.RegisterAsync(fixture.Grains);
        var id = ShortId.New("r");
        var recording = Recording(id);
        await recording.StartAsync(new RecordingStart(ShortId.New("s"), null, "pushed", T0, Chapter(0)));

        // The hubs' list is cached for a moment by whoever pushes: floor changes go on until one reaches this host.
        var added = 1;
        await Eventually.Until(
            async () =>
            {
                await recording.AddChapterAsync(Chapter(added++));
                return pushed.Of(id);
            },
            changes => changes.Length > 0,
            TimeSpan.FromSeconds(10));
        await recording.AddChapterAsync(Chapter(added++));
        var last = await Eventually.Until(() => Task.FromResult(pushed.Of(id)), changes => changes.Any(c => c.ChapterCount == added), TimeSpan.FromSeconds(5));

        Assert.All(last, change => Assert.Empty(change.Chapters));
        Assert.Equal(added, last.Max(c => c.ChapterCount));
        Assert.Equal(last.Max(c => c.Version), last.Single(c => c.ChapterCount == added).Version);
        var info = (await recording.GetAsync())!;
        Assert.Equal(added, info.ChapterCount);
        Assert.Equal(Enumerable.Range(0, added).Select(At), info.Chapters.Select(c => c.At));
        Assert.Empty((await recording.GetSummaryAsync())!.Chapters);
        Assert.Equal(added, (await recording.GetSummaryAsync())!.ChapterCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Chapters_kept_in_the_state_are_moved_to_the_list_once_however_many_a_failed_move_had_appended(int appendedBefore)
    {
        var id = ShortId.New("r");
        RecordingChapter[] old = [Chapter(0), Chapter(1), Chapter(2)];
        await fixture.ChapterStore.AppendAsync(id, old[..appendedBefore]);
        await WriteStoredAsync(id, new RecordingState
        {
            Created = true,
            SessionId = ShortId.New("s"),
            Title = "kept before the list",
            StartedAt = T0,
            EndedAt = T0.AddMinutes(5),
            Status = RecordingStatus.Ended,
            Parts = new(StringComparer.Ordinal) { ["part-1"] = 300 },
            PartStarts = new(StringComparer.Ordinal) { ["part-1"] = T0 },
            Chapters = [.. old],
            Version = 7,
        });

        var recording = Recording(id);
        var info = (await recording.GetAsync())!;
        Assert.Equal(["v-main", "v-south", "v-east"], info.Chapters.Select(c => c.VenueId));
        Assert.Equal([0, 1, 2], info.Chapters.Select(c => c.OffsetSeconds));
        Assert.Equal(3, info.ChapterCount);
        Assert.Equal(7, info.Version);
        Assert.Empty((await StoredAsync(id)).State.Chapters);
        Assert.Equal(old.Select(c => c.At), (await fixture.ChapterStore.ReadAsync(id)).Select(c => c.At));

        await fixture.Cluster.DeactivateAsync(recording);
        Assert.Equal(info.Chapters, (await recording.GetAsync())!.Chapters);
        Assert.Equal(3, (await fixture.ChapterStore.ReadAsync(id)).Count);
    }

    [Fact]
    public async Task A_start_whose_state_write_was_lost_after_its_chapter_was_appended_does_not_add_it_twice()
    {
        var id = ShortId.New("r");
        await fixture.ChapterStore.AppendAsync(id, [Chapter(0)]);

        var info = await Recording(id).StartAsync(new RecordingStart(ShortId.New("s"), null, "started again", T0, Chapter(0)));

        Assert.Equal(1, info.ChapterCount);
        Assert.Single(info.Chapters);
        Assert.Single(await fixture.ChapterStore.ReadAsync(id));
    }

    [Fact]
    public async Task Expiry_deletes_the_chapters_list()
    {
        var id = ShortId.New("r");
        var recording = Recording(id);
        await recording.StartAsync(new RecordingStart(ShortId.New("s"), null, "expiring", T0, Chapter(0)));
        await recording.AddChapterAsync(Chapter(1));
        await recording.StopAsync(T0.AddMinutes(1), "ended", "chair");
        Assert.Equal(2, (await fixture.ChapterStore.ReadAsync(id)).Count);

        Assert.True(await recording.ExpireAsync(T0.AddDays(200), TimeSpan.FromDays(180)));

        Assert.Empty(await fixture.ChapterStore.ReadAsync(id));
        Assert.Null(await recording.GetAsync());
        Assert.True((await StoredAsync(id)).State.Expired);
        await fixture.Cluster.DeactivateAsync(recording);
        Assert.True(await recording.IsExpiredAsync());
        Assert.Null(await recording.GetAsync());
        Assert.Empty(await fixture.ChapterStore.ReadAsync(id));
    }

    private static DateTimeOffset At(int i) => T0.AddSeconds(i);

    private static RecordingChapter Chapter(int i) => new(0, At(i), i == 0 ? "started" : "broadcast", Venues[i % Venues.Length], null, "chair");

    private IRecordingGrain Recording(string id) => fixture.Grains.GetGrain<IRecordingGrain>(id);

    private IGrainStorage Storage => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CommandStorage.Name);

    /// <summary>The recording's state as last written, and its size as the storage is handed it.</summary>
    private async Task<(RecordingState State, int Size)> StoredAsync(string id)
    {
        var state = new GrainState<RecordingState>();
        await Storage.ReadStateAsync("recording", Recording(id).GetGrainId(), state);
        var stored = Assert.IsType<RecordingState>(state.State);
        return (stored, fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>().SerializeToArray(stored).Length);
    }

    private Task WriteStoredAsync(string id, RecordingState stored) =>
        Storage.WriteStateAsync("recording", Recording(id).GetGrainId(), new GrainState<RecordingState> { State = stored });
}
