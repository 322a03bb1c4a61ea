using System.Diagnostics;
using System.Net;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Cluster;

/// <summary>A whole cluster of all-in-one nodes (silo and bridge each) killed at once comes back by itself when its nodes start together.</summary>
public sealed class ColdRestartTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-cold-");

    [Fact]
    public async Task Three_silos_killed_together_and_started_together_all_become_healthy_with_the_state_intact()
    {
        using var redis = await RedisServer.StartAsync(work.FullName);
        var settings = new[] { $"--Command:Redis={redis.ConnectionString}", $"--Command:ClusterId=test-{Guid.NewGuid():N}" };
        string sessionId;
        var first = Enumerable.Range(0, 3).Select(_ => SiloProcess.Start(work.FullName, settings)).ToList();
        try
        {
            foreach (var silo in first)
            {
                await silo.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            }

            await first[1].SignInAsync();
            var session = await first[1].Http.PostJsonAsync(
                "/api/sessions", new { title = "cold restart", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } },
                HttpStatusCode.Created);
            sessionId = (string)session["id"]!;
            await first[1].Http.PostJsonAsync($"/api/sessions/{sessionId}/lock", new { locked = true });
        }
        finally
        {
            first.ForEach(s => s.KillHard());
            foreach (var silo in first)
            {
                await silo.DisposeAsync();
            }
        }

        // The membership table still lists the killed silos as active: the new ones must find that out, not fail on it.
        var clock = Stopwatch.StartNew();
        var second = Enumerable.Range(0, 3).Select(_ => SiloProcess.Start(work.FullName, settings)).ToList();
        try
        {
            foreach (var silo in second)
            {
                await silo.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            }

            var settled = clock.Elapsed;
            foreach (var silo in second)
            {
                Assert.False(silo.HasExited, silo.Output);
                await silo.SignInAsync();
                var restored = await silo.Http.GetJsonAsync($"/api/sessions/{sessionId}");
                Assert.Equal("live", (string?)restored["state"]);
                Assert.Equal(true, (bool?)restored["locked"]);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"all three silos healthy {settled.TotalSeconds:F1} s after starting together");
            foreach (var line in second.SelectMany(s => s.Output.Split('\n')).Where(l => l.Contains("Start-up step", StringComparison.Ordinal)).Take(20))
            {
                TestContext.Current.TestOutputHelper?.WriteLine(line);
            }
        }
        finally
        {
            foreach (var silo in second)
            {
                await silo.DisposeAsync();
            }
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
}
