using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Durability;

/// <summary>
/// No change is acknowledged without its audit entry: not across a kill -9 of the node, and not while the store is
/// away (the change is refused with 503 instead); afterwards the chain still verifies against its signed head.
/// </summary>
public sealed class AuditDurabilityTests : IDisposable
{
    private const int Writers = 4;
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-audit-");

    [Fact]
    public async Task Every_change_acknowledged_before_a_kill_9_has_its_entry_after_the_restart()
    {
        var data = $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}";
        await using var first = SiloProcess.Start(work.FullName, data, "--Command:Bridge:Enabled=false");
        await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await first.SignInAsync();

        var statuses = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var writers = StartWriters(first.Http, "kill9", statuses, stop.Token);
        await UntilAsync(() => statuses.Values.Count(IsAcknowledged) >= 40, TimeSpan.FromSeconds(60));

        // Killed with requests in flight: some were acknowledged, some never answered.
        first.KillHard();
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        await using var second = SiloProcess.Start(work.FullName, data, "--Command:Bridge:Enabled=false");
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await second.SignInAsync();
        await AssertEveryAcknowledgedChangeRecordedAsync(second.Http, statuses, "kill -9");
    }

    [Fact]
    public async Task While_the_store_is_away_changes_get_503_and_every_acknowledged_change_has_its_entry()
    {
        var redisData = Directory.CreateDirectory(Path.Combine(work.FullName, "redis")).FullName;
        var port = Ports.Free();
        var redis = await RedisServer.StartAsync(redisData, port, persistent: true);
        await using var silo = SiloProcess.Start(
            work.FullName, $"--Command:Redis=127.0.0.1:{port}", $"--Command:ClusterId=test-{Guid.NewGuid():N}", "--Command:Bridge:Enabled=false");
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            await silo.SignInAsync();
            using var patient = new HttpClient { BaseAddress = silo.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            patient.DefaultRequestHeaders.Authorization = silo.Http.DefaultRequestHeaders.Authorization;

            var statuses = new ConcurrentDictionary<string, int>();
            using var stop = new CancellationTokenSource();
            var writers = StartWriters(patient, "outage", statuses, stop.Token);
            await UntilAsync(() => statuses.Values.Count(IsAcknowledged) >= 20, TimeSpan.FromSeconds(60));

            redis.Dispose();
            var before = statuses.Count;
            await UntilAsync(() => statuses.Values.Count(s => s == 503) >= Writers, TimeSpan.FromSeconds(60));
            redis = await RedisServer.StartAsync(redisData, port, persistent: true);
            var acknowledgedBefore = statuses.Values.Count(IsAcknowledged);
            await UntilAsync(() => statuses.Values.Count(IsAcknowledged) >= acknowledgedBefore + 20, TimeSpan.FromSeconds(60));
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            var unexpected = statuses.Where(s => !IsAcknowledged(s.Value) && s.Value != 503).ToList();
            Assert.True(unexpected.Count == 0, string.Join(", ", unexpected.Select(s => $"{s.Key}: {s.Value}")));
            TestContext.Current.TestOutputHelper?.WriteLine($"{statuses.Count - before} changes tried from the outage on");
            await AssertEveryAcknowledgedChangeRecordedAsync(silo.Http, statuses, "store outage");
        }
        finally
        {
            redis.Dispose();
        }
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

    private static bool IsAcknowledged(int status) => status is >= 200 and < 300;

    /// <summary>Writers creating incidents with unique titles; each title's final status, or 0 when no answer came.</summary>
    private static Task[] StartWriters(HttpClient http, string prefix, ConcurrentDictionary<string, int> statuses, CancellationToken stop) =>
        [.. Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var title = $"{prefix}-{w}-{i}-{Guid.NewGuid():N}";
                statuses[title] = 0;
                try
                {
                    using var response = await http.PostAsJsonAsync(
                        "/api/incidents", new { title, type = "fire", severity = 4, regionCode = "440604" }, CancellationToken.None);
                    statuses[title] = (int)response.StatusCode;
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(200, CancellationToken.None);
                    }
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, CancellationToken.None);
                }
                catch (TaskCanceledException)
                {
                }
            }
        }))];

    private static async Task UntilAsync(Func<bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task AssertEveryAcknowledgedChangeRecordedAsync(HttpClient http, ConcurrentDictionary<string, int> statuses, string fault)
    {
        var entries = new List<JsonNode>();
        for (long from = 0; ; from += 1000)
        {
            var page = await http.GetJsonAsync($"/api/audit?from={from}&count=1000");
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!));
            if (from + 1000 >= (long)page["total"]!)
            {
                break;
            }
        }

        var attempts = entries.Where(e => (string?)e["kind"] == "attempt" && (string?)e["action"] == "POST /api/incidents")
            .GroupBy(Title).ToDictionary(g => g.Key, g => (string)g.First()["entryId"]!);
        var outcomes = entries.Where(e => (string?)e["kind"] == "outcome")
            .GroupBy(e => (string)e["completes"]!).ToDictionary(g => g.Key, g => (int)g.First()["outcome"]!);
        var acknowledged = statuses.Where(s => IsAcknowledged(s.Value)).Select(s => s.Key).ToList();
        var missing = acknowledged.Where(t => !attempts.ContainsKey(t)).ToList();
        var withOutcome = acknowledged.Count(t => attempts.TryGetValue(t, out var id) && outcomes.TryGetValue(id, out var status) && IsAcknowledged(status));
        var verdict = await http.GetJsonAsync("/api/audit/verify");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{fault}: {statuses.Count} changes tried, {acknowledged.Count} acknowledged, {statuses.Values.Count(s => s == 503)} refused with 503, "
            + $"{statuses.Values.Count(s => s == 0)} unanswered; attempt entries for {acknowledged.Count - missing.Count} of the acknowledged, "
            + $"outcome entries for {withOutcome}; {attempts.Count} incident attempts and {entries.Count} entries in all; verify: {verdict.ToJsonString()}");
        Assert.Empty(missing);
        Assert.Equal(true, (bool?)verdict["intact"]);
    }

    private static string Title(JsonNode entry)
    {
        try
        {
            return (string?)JsonNode.Parse((string)entry["parameters"]!)?["body"]?["title"] ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
