using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Recordings;

/// <summary>
/// The recording retention sweep across a kill -9 of the node: a recording whose period ran out while the node was
/// down is expired by the node that comes back, and one expired before stays expired, audited once.
/// </summary>
public sealed class RecordingRetentionRestartTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(5);
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-retention-");

    [Fact]
    public async Task A_recording_due_while_the_node_was_down_expires_after_the_restart_and_one_expired_before_stays_expired()
    {
        var data = Path.Combine(work.FullName, "data");
        string[] settings =
        [
            $"--Command:DataDirectory={data}",
            $"--Command:Recording:RetentionDays={Retention.TotalDays.ToString("R", CultureInfo.InvariantCulture)}",
            "--Command:Recording:RetentionCheckSeconds=0.5",
        ];

        string before, due;
        DateTimeOffset dueEnded;
        await using (var first = SiloProcess.Start(work.FullName, settings))
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            await first.SignInAsync();
            (_, before) = await RecordAndEndAsync(first.Http, data, "fs-nanhai");
            await UntilAsync(async () => await StatusAsync(first.Http, $"/api/recordings/{before}") == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(20));
            await UntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(data, "recordings", before))), TimeSpan.FromSeconds(30));

            (dueEnded, due) = await RecordAndEndAsync(first.Http, data, "fs-shunde");
            first.KillHard();
            Assert.True(DateTimeOffset.UtcNow - dueEnded < Retention, "the node was killed only after the recording's period ran out");
        }

        await using var second = SiloProcess.Start(work.FullName, settings);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await second.SignInAsync();
        var restarted = DateTimeOffset.UtcNow;
        await UntilAsync(async () => await StatusAsync(second.Http, $"/api/recordings/{due}") == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(20));
        await UntilAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(data, "recordings", due))), TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(second.Http, $"/api/recordings/{before}"));
        Assert.False(Directory.Exists(Path.Combine(data, "recordings", before)));
        var total = (long)(await second.Http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var entries = (await second.Http.GetJsonAsync($"/api/audit?from=0&count={total}"))["entries"]!.AsArray();
        Assert.Single(entries, e => Expiry(e, before));
        var expiry = Assert.Single(entries, e => Expiry(e, due))!;
        Assert.True(DateTimeOffset.Parse((string)expiry["at"]!, CultureInfo.InvariantCulture) > restarted.AddSeconds(-5), "expired before the node was killed");
        Assert.True(DateTimeOffset.Parse((string)expiry["at"]!, CultureInfo.InvariantCulture) - dueEnded > Retention);
    }

    [Theory]
    [InlineData("RetentionDays", "0")]
    [InlineData("RetentionCheckSeconds", "0")]
    public async Task A_retention_period_or_sweep_interval_out_of_range_stops_start_up_naming_it(string setting, string value)
    {
        await using var node = SiloProcess.Start(
            work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "data-" + setting)}", $"--Command:Recording:{setting}={value}");

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)), node.Output);
        Assert.Equal(2, node.ExitCode);
        Assert.Contains(setting, node.Errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A store file still held open is left for the OS temp cleaner.
        }
    }

    private static bool Expiry(JsonNode? entry, string recordingId) =>
        (string?)entry!["action"] == "recording.expire" && (string?)entry["target"] == recordingId && (string?)entry["actor"] == "system";

    /// <summary>An emergency's recording with one segment on disk, then the emergency ended; when it ended and the recording's id.</summary>
    private static async Task<(DateTimeOffset EndedAt, string RecordingId)> RecordAndEndAsync(HttpClient http, string data, string venue)
    {
        var session = await http.PostJsonAsync("/api/sessions", new { title = "retention " + venue, kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { venue } }, HttpStatusCode.Created);
        var id = (string)session["id"]!;
        var recordingId = (string)session["recordingId"]!;
        var part = Directory.CreateDirectory(Path.Combine(data, "recordings", recordingId, "part-1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(part, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg-00000.ts\n", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(part, "seg-00000.ts"), [0x47, 1, 2, 3], TestContext.Current.CancellationToken);
        var ended = await http.PostJsonAsync($"/api/sessions/{id}/end", null);
        return (DateTimeOffset.Parse((string)ended["endedAt"]!, CultureInfo.InvariantCulture), recordingId);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
