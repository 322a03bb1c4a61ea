using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Cluster;

/// <summary>While Redis is away the API says 503 with Retry-After, changes nothing, and works again by itself when Redis is back.</summary>
public sealed class StoreOutageTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-outage-");

    [Fact]
    public async Task Requests_during_a_store_outage_get_503_problem_details_and_control_returns_when_the_store_does()
    {
        var redisData = Directory.CreateDirectory(Path.Combine(work.FullName, "redis")).FullName;
        var port = Ports.Free();
        var redis = await RedisServer.StartAsync(redisData, port, persistent: true);
        var settings = new[]
        {
            $"--Command:Redis=127.0.0.1:{port}", $"--Command:ClusterId=test-{Guid.NewGuid():N}", "--Command:Bridge:Enabled=false",
        };
        await using var silo = SiloProcess.Start(work.FullName, settings);
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            await silo.SignInAsync();
            var session = await silo.Http.PostJsonAsync(
                "/api/sessions", new { title = "store outage", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } },
                HttpStatusCode.Created);
            var id = (string)session["id"]!;

            redis.Dispose();
            var outage = Stopwatch.StartNew();
            using var patient = new HttpClient { BaseAddress = silo.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            patient.DefaultRequestHeaders.Authorization = silo.Http.DefaultRequestHeaders.Authorization;

            // A change needs the store; a session never read before needs it to activate.
            using (var change = await PostAsync(patient, $"/api/sessions/{id}/mute", new { venueId = "fs-nanhai", muted = true }))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"refused change answered {(int)change.StatusCode} after {outage.Elapsed.TotalSeconds:F1} s");
                await AssertUnavailableAsync(change);
            }

            using (var unknown = await patient.GetAsync($"/api/sessions/never-read-{Guid.NewGuid():N}", TestContext.Current.CancellationToken))
            {
                await AssertUnavailableAsync(unknown);
            }

            redis = await RedisServer.StartAsync(redisData, port, persistent: true);
            var back = Stopwatch.StartNew();
            JsonNode? muted = null;
            while (back.Elapsed < TimeSpan.FromSeconds(20) && muted is null)
            {
                using var retry = await PostAsync(silo.Http, $"/api/sessions/{id}/mute", new { venueId = "fs-nanhai", muted = false });
                if (retry.StatusCode == HttpStatusCode.OK)
                {
                    muted = JsonNode.Parse(await retry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, retry.StatusCode);
                    await Task.Delay(250, TestContext.Current.CancellationToken);
                }
            }

            Assert.NotNull(muted);
            Assert.Equal("live", (string?)muted["state"]);

            // The refused mute changed nothing: the session went from its created version straight to the one accepted change.
            Assert.Equal((long)session["version"]! + 1, (long)muted["version"]!);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"outage {outage.Elapsed.TotalSeconds:F1} s; control back {back.Elapsed.TotalSeconds:F1} s after the store restarted");
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

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, object body) =>
        http.PostAsync(url, System.Net.Http.Json.JsonContent.Create(body), TestContext.Current.CancellationToken);

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, (int?)JsonNode.Parse(body)!["status"]);
    }
}
