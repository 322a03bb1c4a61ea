using System.Diagnostics;
using System.Net;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Durability;

/// <summary>The embedded node loses no acknowledged write to a kill -9, and its reminders still fire.</summary>
public sealed class KillNineTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-kill9-");

    [Fact]
    public async Task State_survives_kill_9_and_the_booked_meeting_still_starts_on_time()
    {
        var data = $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}";
        await using var first = SiloProcess.Start(work.FullName, data);
        var startup = await first.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await first.SignInAsync();

        var session = await first.Http.PostJsonAsync(
            "/api/sessions",
            new { title = "kill-9 drill", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-chancheng", "fs-nanhai" } },
            HttpStatusCode.Created);
        var sessionId = (string)session["id"]!;
        await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/broadcast", new { venueId = "fs-nanhai" });
        await first.Http.PostJsonAsync($"/api/sessions/{sessionId}/mute", new { venueId = "fs-chancheng", muted = true });
        var incident = await first.Http.PostJsonAsync(
            "/api/incidents", new { title = "西江水位超警", type = "flood", severity = 3, regionCode = "440605121" }, HttpStatusCode.Created);
        var incidentId = (string)incident["id"]!;
        await first.Http.PostJsonAsync($"/api/incidents/{incidentId}/escalate", new { reason = "drill" });
        var due = DateTimeOffset.UtcNow.AddSeconds(25);
        var booking = await first.Http.PostJsonAsync(
            "/api/schedules",
            new { title = "kill-9 例会", chairVenueId = "fs-police", venueIds = new[] { "fs-sanfang" }, start = due, durationMinutes = 30, checkInLeadMinutes = 1 },
            HttpStatusCode.Created);
        var meetingId = (string)booking["sessionIds"]![0]!;

        first.KillHard();
        var clock = Stopwatch.StartNew();
        await using var second = SiloProcess.Start(work.FullName, data);
        await second.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        await second.SignInAsync();
        var restored = await second.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        var restart = clock.Elapsed;

        Assert.Equal("live", (string?)restored["state"]);
        Assert.Equal("fs-nanhai", (string?)restored["broadcastVenueId"]);
        Assert.Equal(true, (bool?)restored["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == "fs-chancheng")!["muted"]);
        Assert.Equal((long)session["version"]! + 2, (long)restored["version"]!);
        var nanhai = await second.Http.GetJsonAsync("/api/venues/fs-nanhai");
        Assert.Equal(sessionId, (string?)nanhai["sessionId"]);
        Assert.Equal("offline", (string?)nanhai["status"]);
        var incidentAfter = await second.Http.GetJsonAsync($"/api/incidents/{incidentId}");
        Assert.Equal(2, (int?)incidentAfter["severity"]);
        Assert.Equal("province", (string?)incidentAfter["commandLevel"]);

        var meeting = await UntilLiveAsync(second.Http, meetingId, due.AddSeconds(30));
        var startedAt = DateTimeOffset.Parse((string)meeting["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var lateness = startedAt - due;
        Assert.InRange(lateness, TimeSpan.FromMilliseconds(-50), TimeSpan.FromSeconds(3));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"first start to healthy: {startup.TotalSeconds:F2} s; kill -9 to serving the same session: {restart.TotalSeconds:F2} s; meeting started {lateness.TotalMilliseconds:F0} ms after its due time");
    }

    [Fact]
    public async Task A_malformed_topology_stops_start_up_with_a_message_naming_the_problem()
    {
        var bad = Path.Combine(work.FullName, "broken.json");
        await File.WriteAllTextAsync(
            bad,
            """{"sipDomain":"x","regions":[{"code":"440000","name":"广东省","level":"province"}],"venues":[{"id":"v1","name":"n","regionCode":"440699","kind":"branch","sipUser":"1","sipPassword":"password1"}]}""",
            TestContext.Current.CancellationToken);

        await using var silo = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", $"--Command:TopologyFile={bad}");

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Output);
        Assert.Equal(2, silo.ExitCode);
        Assert.Contains("broken.json", silo.Output);
        Assert.Contains("regionCode '440699' is not a region", silo.Output);
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

    private static async Task<System.Text.Json.Nodes.JsonNode> UntilLiveAsync(HttpClient http, string sessionId, DateTimeOffset deadline)
    {
        while (true)
        {
            var session = await http.GetJsonAsync($"/api/sessions/{sessionId}");
            if ((string?)session["state"] == "live" || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal("live", (string?)session["state"]);
                return session;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
