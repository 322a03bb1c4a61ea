using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

// Measures a chair action end to end: POST broadcast → session grain → persisted → notifier →
// web host → SignalR push received by a subscribed client. Usage:
//   ControlLatency <baseUrl> <user> <password> [changes=1000] [warmup=4000, in a session of its own]
var baseUrl = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:5080");
var user = args.ElementAtOrDefault(1) ?? "admin";
var password = args.ElementAtOrDefault(2) ?? "admin";
var changes = int.Parse(args.ElementAtOrDefault(3) ?? "1000", CultureInfo.InvariantCulture);
var warmup = int.Parse(args.ElementAtOrDefault(4) ?? "4000", CultureInfo.InvariantCulture);

using var http = new HttpClient { BaseAddress = baseUrl };
var tokenResponse = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password });
tokenResponse.EnsureSuccessStatusCode();
var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
http.DefaultRequestHeaders.Authorization = new("Bearer", token);

var pushes = new Dictionary<long, long>();
var waiter = new SemaphoreSlim(0);
long awaited = -1;
await using var hub = new HubConnectionBuilder()
    .WithUrl(new Uri(baseUrl, "/hubs/command"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
    .Build();
string? current = null;
hub.On<JsonElement>("SessionChanged", change =>
{
    var seq = change.GetProperty("seq").GetInt64();
    lock (pushes)
    {
        if (change.GetProperty("session").GetProperty("id").GetString() != current)
        {
            return;
        }

        pushes[seq] = Stopwatch.GetTimestamp();
        if (seq == Volatile.Read(ref awaited))
        {
            waiter.Release();
        }
    }
});
await hub.StartAsync();

// An emergency records, so each broadcast change also writes a chapter; CONTROL_KIND=meeting measures without that.
var kind = Environment.GetEnvironmentVariable("CONTROL_KIND") ?? "emergency";
var endToEnd = new List<double>();
var apiOnly = new List<double>();

// The warm-up runs in a session of its own: the node's JIT settles (it is still compiling hot paths in its
// first seconds, as a node running for days is not), while the measured session starts with no history.
// CONTROL_SAME_SESSION=1 runs it in the measured session instead, which then carries the warm-up's history
// (a long emergency's thousands of timeline lines and recording chapters).
var sameSession = Environment.GetEnvironmentVariable("CONTROL_SAME_SESSION") == "1";
if (sameSession)
{
    await RunAsync(warmup + changes, measureFrom: warmup);
}
else
{
    if (warmup > 0)
    {
        await RunAsync(warmup, measureFrom: int.MaxValue);
    }

    await RunAsync(changes, measureFrom: 0);
}

async Task RunAsync(int count, int measureFrom)
{
    var created = await http.PostAsJsonAsync("/api/sessions", new
    {
        title = "control-latency",
        kind,
        chairVenueId = "fs-sanshui",
        venueIds = new[] { "fs-sanshui-xinan", "fs-sanshui-datang" },
    });
    created.EnsureSuccessStatusCode();
    var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    if (kind != "emergency")
    {
        (await http.PostAsync($"/api/sessions/{id}/start", null)).EnsureSuccessStatusCode();
    }

    lock (pushes)
    {
        current = id;
        pushes.Clear();
        Volatile.Write(ref awaited, -1);
        while (waiter.Wait(0))
        {
        }
    }

    await hub.InvokeAsync<JsonElement>("SubscribeSession", id);
    string[] venues = ["fs-sanshui-xinan", "fs-sanshui-datang"];
    try
    {
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = venues[i % 2] });
            var answered = Stopwatch.GetTimestamp();
            response.EnsureSuccessStatusCode();
            var version = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
            long pushedAt;
            lock (pushes)
            {
                Volatile.Write(ref awaited, version);
                pushes.TryGetValue(version, out pushedAt);
            }

            if (pushedAt == 0)
            {
                if (!await waiter.WaitAsync(TimeSpan.FromSeconds(5)))
                {
                    throw new TimeoutException($"No push for version {version}");
                }

                lock (pushes)
                {
                    pushedAt = pushes[version];
                }
            }

            while (waiter.CurrentCount > 0)
            {
                await waiter.WaitAsync();
            }

            if (i >= measureFrom)
            {
                endToEnd.Add(Stopwatch.GetElapsedTime(start, pushedAt).TotalMilliseconds);
                apiOnly.Add(Stopwatch.GetElapsedTime(start, answered).TotalMilliseconds);
            }
        }
    }
    finally
    {
        await http.PostAsync($"/api/sessions/{id}/end", null);
    }
}

Console.WriteLine($"changes measured: {endToEnd.Count} (after {warmup} warm-up changes {(sameSession ? "in the same session" : "in a session of their own")})");
Console.WriteLine($"API call to SignalR push received: {Summary(endToEnd)}");
Console.WriteLine($"API call to HTTP response:         {Summary(apiOnly)}");

static string Summary(List<double> samples)
{
    samples.Sort();
    double At(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):F2} ms, p90 {At(0.90):F2} ms, p99 {At(0.99):F2} ms, max {samples[^1]:F2} ms");
}
