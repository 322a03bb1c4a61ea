using Command.Contracts;
using Command.Contracts.Recordings;
using Command.Grains.Recordings;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Recordings;

/// <summary>
/// Chapters sit in the recording's own time, where a player seeking to them shows the floor change: not the
/// wall-clock time since the recording was started, which counts the wait for the first part and the pauses.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RecordingChapterTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Part 1 starts 10 s after the recording and holds 30 s; the disk floor pauses it until part 2 starts at 100 s, holding 20 s.</summary>
    private static readonly (string, DateTimeOffset, double)[] Parts =
    [
        ("part-2", T0.AddSeconds(100), 20),
        ("part-1", T0.AddSeconds(10), 30),
    ];

    [Theory]
    [InlineData(5, 0)]
    [InlineData(10, 0)]
    [InlineData(25, 15)]
    [InlineData(40, 30)]
    [InlineData(70, 30)]
    [InlineData(110, 40)]
    [InlineData(120, 50)]
    [InlineData(500, 50)]
    public void A_moment_falls_after_the_media_of_the_parts_before_it(double secondsAfterStart, double offset)
    {
        Assert.Equal(offset, RecordingTime.OffsetOf(T0.AddSeconds(secondsAfterStart), Parts), 3);
    }

    [Fact]
    public void Parts_follow_their_numbers_not_their_names()
    {
        var parts = new (string, DateTimeOffset, double)[] { ("part-10", T0.AddSeconds(20), 5), ("part-9", T0, 10) };

        Assert.Equal(12, RecordingTime.OffsetOf(T0.AddSeconds(22), parts), 3);
    }

    [Fact]
    public async Task The_grain_places_chapters_by_the_parts_its_bridge_reported_and_moves_them_as_the_parts_grow()
    {
        var recording = fixture.Grains.GetGrain<IRecordingGrain>(ShortId.New("r"));
        var first = new RecordingChapter(0, T0, "started", "v-main", null, "chair");
        await recording.StartAsync(new RecordingStart(ShortId.New("s"), null, "chapters", T0, first));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, T0.AddSeconds(10), "H264"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-1", 10, T0.AddSeconds(20), null));

        await recording.AddChapterAsync(new RecordingChapter(0, T0.AddSeconds(25), "broadcast", "v-south", null, "chair"));
        Assert.Equal([0, 10], (await recording.GetAsync())!.Chapters.Select(c => c.OffsetSeconds));

        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-1", 28, T0.AddSeconds(38), null));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.LowDisk, "", 0, T0.AddSeconds(40), "recording stopped"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartEnded, "part-1", 30, T0.AddSeconds(41), null));
        await recording.AddChapterAsync(new RecordingChapter(0, T0.AddSeconds(70), "rollcall", "v-east", null, "chair"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.SpaceBack, "", 0, T0.AddSeconds(100), null));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-2", 0, T0.AddSeconds(100), "H264"));
        await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-2", 20, T0.AddSeconds(120), null));
        await recording.AddChapterAsync(new RecordingChapter(0, T0.AddSeconds(110), "broadcast", "v-west", null, "chair"));

        var chapters = (await recording.GetAsync())!.Chapters;
        Assert.Equal(["v-main", "v-south", "v-east", "v-west"], chapters.Select(c => c.VenueId));
        Assert.Equal([0, 15, 30, 40], chapters.Select(c => c.OffsetSeconds));
    }
}
