using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Cluster;

/// <summary>Two silo processes share one real Redis: either serves any session, and one's death loses nothing.</summary>
public sealed class RedisClusterTests : IDisposable
{
    private static readonly string[] Chairs = ["fs-chancheng", "fs-nanhai", "fs-shunde", "fs-sanshui", "fs-gaoming", "fs-police"];

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-cluster-");

    [Fact]
    public async Task Sessions_created_on_one_silo_are_served_by_the_other_even_after_the_first_is_killed()
    {
        using var redis = await RedisServer.StartAsync(work.FullName);
        var settings = new[] { $"--Command:Redis={redis.ConnectionString}", $"--Command:ClusterId=test-{Guid.NewGuid():N}" };
        await using var a = SiloProcess.Start(work.FullName, settings);
        await using var b = SiloProcess.Start(work.FullName, settings);
        await a.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await b.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await a.SignInAsync();
        await b.SignInAsync();

        var created = new List<JsonNode>();
        foreach (var chair in Chairs)
        {
            var session = await a.Http.PostJsonAsync(
                "/api/sessions", new { title = "cluster " + chair, kind = "emergency", chairVenueId = chair }, HttpStatusCode.Created);
            await a.Http.PostJsonAsync($"/api/sessions/{session["id"]}/lock", new { locked = true });
            created.Add(session);
        }

        foreach (var session in created)
        {
            var throughB = await b.Http.GetJsonAsync($"/api/sessions/{session["id"]}");
            Assert.Equal(true, (bool?)throughB["locked"]);
        }

        a.KillHard();
        var clock = Stopwatch.StartNew();
        foreach (var session in created)
        {
            var restored = await UntilServedAsync(b.Http, $"/api/sessions/{session["id"]}", TimeSpan.FromSeconds(90));
            Assert.Equal("live", (string?)restored["state"]);
            Assert.Equal(true, (bool?)restored["locked"]);
            Assert.Equal((string?)session["chairVenueId"], (string?)restored["chairVenueId"]);
        }

        var recovered = clock.Elapsed;
        var broadcast = await UntilAcceptedAsync(b.Http, $"/api/sessions/{created[0]["id"]}/mute", new { muted = true }, TimeSpan.FromSeconds(30));
        Assert.Equal("live", (string?)broadcast["state"]);
        TestContext.Current.TestOutputHelper?.WriteLine($"all sessions served by the surviving silo {recovered.TotalSeconds:F1} s after the kill");
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

    /// <summary>
    /// A change right after a silo's loss may meet grains the cluster still places on it: it is refused with 503 and
    /// Retry-After, and nothing is done, until they move. Any other refusal fails at once.
    /// </summary>
    private static async Task<JsonNode> UntilAcceptedAsync(HttpClient http, string url, object body, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonNode.Parse(text)!;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null && clock.Elapsed < timeout,
                $"{url}: {(int)response.StatusCode} {text} after {clock.Elapsed}");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<JsonNode> UntilServedAsync(HttpClient http, string url, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonNode.Parse(last[4..])!;
                }
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                last = "timed out";
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{url} not served within {timeout}; last answer: {last}");
        return null!;
    }
}
