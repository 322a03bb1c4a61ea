using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Recordings;

/// <summary>
/// Two nodes on one Redis, their bridges writing to one shared recordings folder: each recording past the period is
/// expired once for the cluster (one audit entry), both bridges' sweeps delete its folder without tripping over each
/// other, and the sweep goes on after the loss of a node.
/// </summary>
public sealed class RecordingRetentionClusterTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(4);
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-retention-cluster-");

    [Fact]
    public async Task Each_recording_is_expired_once_for_the_cluster_and_its_shared_folder_deleted_even_after_a_node_is_lost()
    {
        using var redis = await RedisServer.StartAsync(work.FullName);
        var recordings = Directory.CreateDirectory(Path.Combine(work.FullName, "shared-recordings")).FullName;
        string[] settings =
        [
            $"--Command:Redis={redis.ConnectionString}",
            $"--Command:ClusterId=test-{Guid.NewGuid():N}",
            $"--Command:Recording:Directory={recordings}",
            $"--Command:Recording:RetentionDays={Retention.TotalDays.ToString("R", CultureInfo.InvariantCulture)}",
            "--Command:Recording:RetentionCheckSeconds=0.5",
        ];
        await using var a = SiloProcess.Start(work.FullName, settings);
        await using var b = SiloProcess.Start(work.FullName, settings);
        await a.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await b.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await a.SignInAsync();
        await b.SignInAsync();

        var ids = new List<string>
        {
            await RecordAndEndAsync(a.Http, recordings, "fs-chancheng"),
            await RecordAndEndAsync(b.Http, recordings, "fs-nanhai"),
            await RecordAndEndAsync(a.Http, recordings, "fs-shunde"),
        };
        foreach (var id in ids)
        {
            await UntilAsync(async () => await StatusAsync(a.Http, $"/api/recordings/{id}") == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(b.Http, $"/api/recordings/{id}"));
        }

        await UntilAsync(() => Task.FromResult(!Directory.EnumerateFileSystemEntries(recordings).Any()), TimeSpan.FromSeconds(30));
        var entries = await AuditAsync(b.Http);
        Assert.All(ids, id => Assert.Single(entries, e => Expiry(e, id)));

        a.KillHard();
        var after = await RecordAndEndAsync(b.Http, recordings, "fs-sanshui");
        await UntilAsync(async () => await StatusAsync(b.Http, $"/api/recordings/{after}") == HttpStatusCode.NotFound, Retention + TimeSpan.FromSeconds(90));
        await UntilAsync(() => Task.FromResult(!Directory.EnumerateFileSystemEntries(recordings).Any()), TimeSpan.FromSeconds(30));
        Assert.Single(await AuditAsync(b.Http), e => Expiry(e, after));
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool Expiry(JsonNode? entry, string recordingId) =>
        (string?)entry!["action"] == "recording.expire" && (string?)entry["target"] == recordingId;

    private static async Task<JsonArray> AuditAsync(HttpClient http)
    {
        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        return (await http.GetJsonAsync($"/api/audit?from=0&count={total}"))["entries"]!.AsArray();
    }

    /// <summary>An emergency's recording with one segment in the shared folder, then the emergency ended; the recording's id.</summary>
    private static async Task<string> RecordAndEndAsync(HttpClient http, string recordings, string chair)
    {
        var session = await PostAsync(http, "/api/sessions", new { title = "retention " + chair, kind = "emergency", chairVenueId = chair }, HttpStatusCode.Created);
        var recordingId = (string)session["recordingId"]!;
        var part = Directory.CreateDirectory(Path.Combine(recordings, recordingId, "part-1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(part, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg-00000.ts\n", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(part, "seg-00000.ts"), [0x47, 1, 2, 3], TestContext.Current.CancellationToken);
        await PostAsync(http, $"/api/sessions/{session["id"]}/end", null, HttpStatusCode.OK);
        return recordingId;
    }

    /// <summary>A change right after a node's loss may be refused with 503 while its grains move; it is tried again until accepted.</summary>
    private static async Task<JsonNode> PostAsync(HttpClient http, string url, object? body, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await http.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
                return JsonNode.Parse(text)!;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
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
