using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Store;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Command.Web.Tests.Audit;

/// <summary>What an entry says, how the chain's end is anchored, and what an auditor can export, on the embedded store.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuditTrailTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task A_broadcast_is_recorded_before_it_runs_with_the_venue_chosen_and_then_with_its_outcome()
    {
        var session = await http.PostJsonAsync(
            "/api/sessions", new { title = "审计广播", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-chancheng", "fs-nanhai" } },
            HttpStatusCode.Created);
        var id = (string)session["id"]!;
        try
        {
            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai" });

            var entries = await RecentAsync(40);
            var attempt = entries.Single(e => (string?)e["action"] == $"POST /api/sessions/{id}/broadcast" && (string?)e["kind"] == "attempt");
            var outcome = entries.Single(e => (string?)e["completes"] == (string?)attempt["entryId"]);

            Assert.Equal(id, (string?)attempt["target"]);
            Assert.Equal(TestUsers.Admin, (string?)attempt["actor"]);
            Assert.Equal("fs-nanhai", (string?)JsonNode.Parse((string)attempt["parameters"]!)!["body"]!["venueId"]);
            Assert.Equal("outcome", (string?)outcome["kind"]);
            Assert.Equal(200, (int?)outcome["outcome"]);
            Assert.True((long)outcome["index"]! > (long)attempt["index"]!);
        }
        finally
        {
            // The venues are shared with every other test of the node; a live session would hold them.
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_sign_in_is_recorded_with_the_user_name_and_never_the_password()
    {
        using var anonymous = Factory.CreateClient();
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        await anonymous.PostJsonAsync("/api/auth/token", new { username = TestUsers.Admin, password = wrong }, HttpStatusCode.Unauthorized);

        var entries = await RecentAsync(10);
        var attempt = entries.Last(e => (string?)e["action"] == "POST /api/auth/token" && (string?)e["kind"] == "attempt");
        var outcome = entries.Single(e => (string?)e["completes"] == (string?)attempt["entryId"]);
        var body = JsonNode.Parse((string)attempt["parameters"]!)!["body"]!;

        Assert.Equal(TestUsers.Admin, (string?)body["username"]);
        Assert.Equal("***", (string?)body["password"]);
        Assert.DoesNotContain(entries, e => e!.ToJsonString().Contains(wrong, StringComparison.Ordinal));
        Assert.Equal(401, (int?)outcome["outcome"]);
        Assert.Equal($"user {TestUsers.Admin}", (string?)outcome["detail"]);
    }

    [Fact]
    public async Task Cutting_off_the_newest_entries_in_the_store_is_reported()
    {
        await http.PostJsonAsync("/api/feeds", new { name = "截尾摄像头", url = "rtsp://127.0.0.1:8554/cut", owner = "公安局", regionCode = "440604" }, HttpStatusCode.Created);
        Assert.Equal(true, (bool?)(await http.GetJsonAsync("/api/audit/verify"))["intact"]);
        var audit = (RedisAuditStore)Factory.Services.GetRequiredService<Command.Grains.Audit.IAuditStore>();
        var db = (await Factory.Services.GetRequiredService<StoreConnection>().GetAsync()).GetDatabase();

        var cut = new List<RedisValue>();
        for (var i = 0; i < 2; i++)
        {
            cut.Insert(0, await db.ListRightPopAsync(audit.Key));
        }

        try
        {
            var verdict = await http.GetJsonAsync("/api/audit/verify");

            Assert.Equal(false, (bool?)verdict["intact"]);
            Assert.Contains("removed", (string?)verdict["reason"]);
        }
        finally
        {
            await db.ListRightPushAsync(audit.Key, [.. cut]);
        }

        Assert.Equal(true, (bool?)(await http.GetJsonAsync("/api/audit/verify"))["intact"]);
    }

    [Fact]
    public async Task Signed_checkpoints_follow_the_chain_within_a_period()
    {
        await http.PostJsonAsync("/api/incidents", new { title = "检查点", type = "fire", severity = 4, regionCode = "440604" }, HttpStatusCode.Created);
        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;

        var clock = Stopwatch.StartNew();
        JsonNode checkpoints;
        do
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            checkpoints = await http.GetJsonAsync("/api/audit/checkpoints");
        }
        while (!checkpoints["checkpoints"]!.AsArray().Any(c => (long)c!["count"]! >= total) && clock.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Contains(checkpoints["checkpoints"]!.AsArray(), c => (long)c!["count"]! >= total);
        Assert.False(string.IsNullOrEmpty((string?)checkpoints["publicKey"]));
        var verdict = await http.GetJsonAsync("/api/audit/verify");
        Assert.Equal(true, (bool?)verdict["intact"]);
        Assert.True((int)verdict["checkpointsChecked"]! >= 1);
    }

    [Fact]
    public async Task An_export_checks_offline_with_the_public_key_and_an_altered_export_does_not()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await http.PostJsonAsync("/api/incidents", new { title = "导出审计", type = "flood", severity = 3, regionCode = "440605" }, HttpStatusCode.Created);
        using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));
        await chair.GetJsonAsync($"/api/audit/export?from={Uri.EscapeDataString(from.ToString("O"))}", HttpStatusCode.Forbidden);

        var export = await http.GetJsonAsync($"/api/audit/export?from={Uri.EscapeDataString(from.ToString("O"))}");
        var key = (string)(await http.GetJsonAsync("/api/audit/checkpoints"))["publicKey"]!;
        var payload = JsonNode.Parse((string)export["payload"]!)!;
        Assert.Contains(payload["entries"]!.AsArray(), e => ((string?)e!["parameters"])?.Contains("导出审计", StringComparison.Ordinal) == true);
        var file = Path.Combine(Path.GetTempPath(), $"audit-export-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, export.ToJsonString(), TestContext.Current.CancellationToken);
            var (intact, said) = await VerifyOfflineAsync(file, key);
            Assert.True(intact == 0, said);

            var entry = payload["entries"]![0]!;
            entry["outcome"] = (int)entry["outcome"]! + 1;
            export["payload"] = payload.ToJsonString();
            await File.WriteAllTextAsync(file, export.ToJsonString(), TestContext.Current.CancellationToken);
            var (altered, why) = await VerifyOfflineAsync(file, key);
            Assert.True(altered == 1, why);
            Assert.Contains("NOT INTACT", why);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<List<JsonNode>> RecentAsync(int count)
    {
        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        return [.. (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - count)}&count={count}"))["entries"]!.AsArray().Select(e => e!)];
    }

    private static async Task<(int Exit, string Output)> VerifyOfflineAsync(string file, string publicKey)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(CommandApiFactory.RepositoryFile("tools/audit/verify_export.py"));
        info.ArgumentList.Add(file);
        info.ArgumentList.Add("--public-key");
        info.ArgumentList.Add(publicKey);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
            + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output);
    }
}
