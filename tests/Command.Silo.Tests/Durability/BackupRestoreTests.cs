using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Durability;

/// <summary>
/// A backup taken while the node runs restores to the state at backup time: what came before is there, what came
/// after is not, the audit chain verifies against its signed head, and the restored node is healthy.
/// </summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-backup-");

    [Fact]
    public async Task A_backup_of_a_running_node_restores_the_state_at_backup_time_with_an_intact_audit_chain()
    {
        var data = Path.Combine(work.FullName, "data");
        var backup = Path.Combine(work.FullName, "backup");
        await using var first = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={data}", "--Command:Bridge:Enabled=false");
        await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await first.SignInAsync();

        var session = await first.Http.PostJsonAsync(
            "/api/sessions",
            new { title = "backup drill", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-chancheng", "fs-nanhai" } },
            HttpStatusCode.Created);
        var sessionId = (string)session["id"]!;
        await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/broadcast", new { venueId = "fs-nanhai" });
        var before = $"before-{Guid.NewGuid():N}";
        var kept = (string)(await first.Http.PostJsonAsync(
            "/api/incidents", new { title = before, type = "flood", severity = 3, regionCode = "440605121" }, HttpStatusCode.Created))["id"]!;

        var (exit, output) = await RunBackupAsync(backup, $"--Command:DataDirectory={data}");
        Assert.True(exit == 0, output);
        Assert.Contains("node running", output);

        var after = $"after-{Guid.NewGuid():N}";
        var lost = (string)(await first.Http.PostJsonAsync(
            "/api/incidents", new { title = after, type = "fire", severity = 4, regionCode = "440604" }, HttpStatusCode.Created))["id"]!;
        await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/mute", new { venueId = "fs-chancheng", muted = true });
        var totalAtKill = (long)(await first.Http.GetJsonAsync("/api/audit?from=0&count=1"))["total"]!;
        first.KillHard();

        await using var restored = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={backup}", "--Command:Bridge:Enabled=false");
        await restored.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await restored.SignInAsync();

        var sessionAfter = await restored.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        Assert.Equal("live", (string?)sessionAfter["state"]);
        Assert.Equal("fs-nanhai", (string?)sessionAfter["broadcastVenueId"]);
        Assert.Equal(false, (bool?)sessionAfter["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == "fs-chancheng")!["muted"]);
        Assert.Equal(before, (string?)(await restored.Http.GetJsonAsync($"/api/incidents/{kept}"))["title"]);
        using (var missing = await restored.Http.GetAsync($"/api/incidents/{lost}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var entries = await AuditAsync(restored.Http);
        Assert.Contains(entries, e => ((string?)e["parameters"])?.Contains(before, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(entries, e => ((string?)e["parameters"])?.Contains(after, StringComparison.Ordinal) == true);
        var verdict = await restored.Http.GetJsonAsync("/api/audit/verify");
        Assert.True((bool?)verdict["intact"] == true, verdict.ToJsonString());

        using var health = await restored.Http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{output.Trim()}\naudit entries: {totalAtKill} at the kill, {entries.Count} after restoring the backup; verify: {verdict.ToJsonString()}");
    }

    [Fact]
    public async Task A_backup_refuses_a_folder_that_is_not_empty_and_leaves_it_as_it_was()
    {
        var target = Directory.CreateDirectory(Path.Combine(work.FullName, "occupied")).FullName;
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine", TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(work.FullName, "data", "store"));

        var (exit, output) = await RunBackupAsync(target, $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}");

        Assert.Equal(1, exit);
        Assert.Contains("not empty", output);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "keep.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task In_development_the_api_reference_is_open_to_everyone()
    {
        await using var node = SiloProcess.Start(
            work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "dev")}", "--Command:Bridge:Enabled=false", "--environment=Development");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        using var page = await node.Http.GetAsync("/scalar/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
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

    private async Task<(int Exit, string Output)> RunBackupAsync(string target, params string[] settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Repository.SiloAssembly);
        info.ArgumentList.Add("backup");
        info.ArgumentList.Add(target);
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<List<JsonNode>> AuditAsync(HttpClient http)
    {
        var entries = new List<JsonNode>();
        for (long from = 0; ; from += 1000)
        {
            var page = await http.GetJsonAsync($"/api/audit?from={from}&count=1000");
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!));
            if (from + 1000 >= (long)page["total"]!)
            {
                return entries;
            }
        }
    }
}
