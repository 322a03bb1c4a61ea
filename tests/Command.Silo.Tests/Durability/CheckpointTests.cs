using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Durability;

/// <summary>The embedded store checkpoints on its period, again and again, and the node neither stops nor loses a write.</summary>
public sealed partial class CheckpointTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-checkpoint-");

    [Fact]
    public async Task A_node_checkpoints_past_many_periods_stays_healthy_and_recovers_from_its_checkpoints_after_kill_9()
    {
        var settings = new[] { $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", "--Command:CheckpointMinutes=0.05" };
        await using var first = SiloProcess.Start(work.FullName, settings);
        await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await first.SignInAsync();
        var session = await first.Http.PostJsonAsync(
            "/api/sessions", new { title = "checkpoint drill", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } },
            HttpStatusCode.Created);
        var sessionId = (string)session["id"]!;

        // Five 3-second periods, with a change between checkpoints, and the node must be up and healthy throughout.
        var clock = Stopwatch.StartNew();
        var muted = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(16))
        {
            Assert.False(first.HasExited, $"the node stopped itself:\n{first.Output}");
            using var health = await first.Http.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            muted = !muted;
            await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/mute", new { venueId = "fs-nanhai", muted });
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }

        var (completed, failed) = await CheckpointsAsync(first.Http);
        Assert.True(completed >= 4, $"{completed} checkpoints in 16 s with a 3 s period");
        Assert.Equal(0, failed);

        first.KillHard();
        await using var second = SiloProcess.Start(work.FullName, settings);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await second.SignInAsync();
        var restored = await second.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        Assert.Equal("live", (string?)restored["state"]);
        Assert.Equal(muted, (bool?)restored["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == "fs-nanhai")!["muted"]);
        TestContext.Current.TestOutputHelper?.WriteLine($"{completed} checkpoints, {failed} failed, in {clock.Elapsed.TotalSeconds:F0} s");
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

    private static async Task<(int Completed, int Failed)> CheckpointsAsync(HttpClient http)
    {
        var health = await http.GetStringAsync("/health", TestContext.Current.CancellationToken);
        var match = Counts().Match(health);
        Assert.True(match.Success, health);
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(\d+) checkpoints, (\d+) failed")]
    private static partial Regex Counts();
}
