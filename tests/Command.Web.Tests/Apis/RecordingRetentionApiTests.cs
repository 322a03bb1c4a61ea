using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Command.Grains.Recordings;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>
/// Recordings past the retention period, on a node that keeps them four seconds: an ended one is gone from every
/// API and list, its folder deleted and its expiry audited, while a running one and one ended since are kept.
/// </summary>
public sealed class RecordingRetentionApiTests(RecordingRetentionNodeFactory factory) : AdminApiTest(factory), IClassFixture<RecordingRetentionNodeFactory>
{
    private static readonly TimeSpan Retention = RecordingRetentionNodeFactory.Retention;
    private static readonly TimeSpan Check = RecordingRetentionNodeFactory.Check;

    [Fact]
    public async Task An_ended_recording_is_gone_everywhere_after_the_period_and_a_running_or_recently_ended_one_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = Factory.CreateClient();
        var clock = Stopwatch.StartNew();
        var live = await CreateAsync(new { title = "仍在录像", kind = "emergency", chairVenueId = "fs-sanshui", venueIds = new[] { "fs-sanshui-xinan" } });
        var liveRecording = await RecordingOfAsync(live);
        var liveFolder = await WriteRecordingAsync(liveRecording);

        var old = await CreateAsync(new { title = "过期录像", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" }, @public = true });
        var expiring = await RecordingOfAsync(old);
        var folder = await WriteRecordingAsync(expiring);
        await http.PostJsonAsync($"/api/sessions/{old}/publish", new { approved = true });
        await using var hub = Factory.CreateHubConnection(async () => await Factory.TokenAsync(TestUsers.Admin));
        var pushed = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>("RecordingChanged", c => pushed.Writer.TryWrite(c.Clone()));
        await hub.StartAsync(ct);
        await hub.InvokeAsync<JsonElement>("SubscribeSession", old, ct);
        var ended = Stopwatch.StartNew();
        await http.PostAsync($"/api/sessions/{old}/end", null, ct);

        Assert.Equal(expiring, (string?)Assert.Single((await http.GetJsonAsync($"/api/sessions/{old}/recordings")).AsArray())!["id"]);
        Assert.Equal("ended", (string?)(await http.GetJsonAsync($"/api/recordings/{expiring}"))["status"]);
        Assert.Contains((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == old);
        await GetAsync(http, $"/api/recordings/{expiring}/hls/part-1/seg-00000.ts", HttpStatusCode.OK);
        var chapters = Factory.Services.GetRequiredService<IRecordingChapterStore>();
        Assert.NotEmpty(await chapters.ReadAsync(expiring));

        await Eventually.Until(() => StatusAsync($"/api/recordings/{expiring}"), s => s == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(30));
        Assert.True(ended.Elapsed > Retention, $"expired {ended.Elapsed} after its end, before the {Retention} period");
        Assert.Empty(await chapters.ReadAsync(expiring));

        // A page showing the session drops the recording when told, with no fetch of its own.
        using (var told = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            told.CancelAfter(TimeSpan.FromSeconds(10));
            JsonElement change;
            do
            {
                change = await pushed.Reader.ReadAsync(told.Token);
            }
            while (change.GetProperty("recording").GetProperty("id").GetString() != expiring
                || change.GetProperty("recording").GetProperty("status").GetString() != "expired");
        }

        using (var gone = await http.GetAsync($"/api/recordings/{expiring}", ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty((await http.GetJsonAsync($"/api/sessions/{old}/recordings")).AsArray());
        await GetAsync(http, $"/api/recordings/{expiring}/hls/index.m3u8", HttpStatusCode.NotFound);
        await GetAsync(http, $"/api/recordings/{expiring}/hls/part-1/seg-00000.ts", HttpStatusCode.NotFound);
        Assert.DoesNotContain((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == old);
        await GetAsync(anonymous, $"/api/public/broadcasts/{old}/hls/index.m3u8", HttpStatusCode.NotFound);
        await Eventually.Until(() => Task.FromResult(Describe(folder)), d => d is null, TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(folder)!, "*" + expiring));

        var audit = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]! - 200)}&count=200"))["entries"]!.AsArray();
        var entry = Assert.Single(audit, e => (string?)e!["action"] == "recording.expire" && (string?)e["target"] == expiring)!;
        Assert.Equal("system", (string?)entry["actor"]);
        Assert.Contains((await http.GetJsonAsync($"/api/sessions/{old}/timeline")).AsArray(), e => (string?)e!["action"] == "recording-expired" && ((string?)e["detail"])!.StartsWith(expiring, StringComparison.Ordinal));

        // A recording that ended just now is kept over the next sweeps (three in the wait below), until its own period is past.
        var recent = await CreateAsync(new { title = "刚结束", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-shunde" } });
        var recentRecording = await RecordingOfAsync(recent);
        var recentFolder = await WriteRecordingAsync(recentRecording);
        var recentEnded = Stopwatch.StartNew();
        await http.PostAsync($"/api/sessions/{recent}/end", null, ct);
        await Task.Delay(3 * Check, ct);
        Assert.True(recentEnded.Elapsed < Retention, "the check of the recent recording came too late to mean anything");
        Assert.Equal("ended", (string?)(await http.GetJsonAsync($"/api/recordings/{recentRecording}"))["status"]);
        Assert.Single((await http.GetJsonAsync($"/api/sessions/{recent}/recordings")).AsArray());
        Assert.True(Directory.Exists(recentFolder));

        // The running recording has been on longer than the period, yet it stays.
        Assert.True(clock.Elapsed > Retention + (2 * Check));
        var running = await http.GetJsonAsync($"/api/recordings/{liveRecording}");
        Assert.Equal("recording", (string?)running["status"]);
        Assert.Single((await http.GetJsonAsync($"/api/sessions/{live}/recordings")).AsArray());
        await GetAsync(http, $"/api/recordings/{liveRecording}/hls/part-1/seg-00000.ts", HttpStatusCode.OK);
        Assert.True(Directory.Exists(liveFolder));

        await Eventually.Until(() => StatusAsync($"/api/recordings/{recentRecording}"), s => s == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(30));
        await Eventually.Until(() => Task.FromResult(Describe(recentFolder)), d => d is null, TimeSpan.FromSeconds(30));
        Assert.True(Directory.Exists(liveFolder));
        Assert.Equal("recording", (string?)(await http.GetJsonAsync($"/api/recordings/{liveRecording}"))["status"]);
        await http.PostAsync($"/api/sessions/{live}/end", null, ct);
    }

    /// <summary>What is left of a recording's folder, with its times, for a failure to show; null once it is gone.</summary>
    private static string? Describe(string folder)
    {
        var root = Path.GetDirectoryName(folder)!;
        var left = Directory.EnumerateDirectories(root, "*" + Path.GetFileName(folder), SearchOption.TopDirectoryOnly).ToList();
        return left.Count == 0
            ? null
            : $"now {DateTime.UtcNow:O}: " + string.Join("; ", left.SelectMany(d => Directory.EnumerateDirectories(d).Prepend(d)).Select(d => $"{d} {Directory.GetLastWriteTimeUtc(d):O}"));
    }

    private async Task<HttpStatusCode> StatusAsync(string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static async Task GetAsync(HttpClient client, string url, HttpStatusCode expected)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
    }

    private async Task<string> RecordingOfAsync(string sessionId) => (string)(await http.GetJsonAsync($"/api/sessions/{sessionId}"))["recordingId"]!;

    private async Task<string> WriteRecordingAsync(string recordingId)
    {
        var folder = Path.Combine(Factory.DataDirectory, "recordings", recordingId);
        var part = Directory.CreateDirectory(Path.Combine(folder, "part-1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(part, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg-00000.ts\n", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(part, "seg-00000.ts"), [0x47, 1, 2, 3], TestContext.Current.CancellationToken);
        return folder;
    }

    private async Task<string> CreateAsync(object body)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", body, TestContext.Current.CancellationToken);
        return (string)(await response.ReadAsync(HttpStatusCode.Created))["id"]!;
    }
}
