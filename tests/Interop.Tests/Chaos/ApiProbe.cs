using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Chaos;

/// <summary>
/// Calls the HTTP API of several silos with one operator token and a short timeout, and keeps
/// every answer's status (or "timeout"/"refused") under the phase it was seen in, so a test can
/// say which codes a failure produced and whether any was a bare 500.
/// </summary>
public sealed class ApiProbe(string token) : IDisposable
{
    private readonly ConcurrentDictionary<int, HttpClient> clients = new();
    private readonly ConcurrentQueue<(string Phase, string Outcome, string Request)> seen = new();

    /// <summary>Longer than the store client's own 5 s timeout, so the server's answer to a stalled write is seen, not cut off.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(8);

    public string Phase { get; set; } = "setup";

    public async Task<ApiAnswer> SendAsync(SiloProcess silo, HttpMethod method, string url, object? body = null)
    {
        var http = clients.GetOrAdd(silo.HttpPort, port =>
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = ClientTimeout };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        });
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        ApiAnswer answer;
        try
        {
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.ToString();
            var outcome = status == 503 ? (retryAfter is null ? "503 without Retry-After" : "503 with Retry-After") : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            answer = new ApiAnswer(status, outcome, status < 300 && text.Length > 0 ? JsonNode.Parse(text) : null, text);
        }
        catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            answer = new ApiAnswer(null, "timeout", null, $"no answer within {ClientTimeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException e)
        {
            answer = new ApiAnswer(null, "refused", null, e.Message);
        }

        seen.Enqueue((Phase, answer.Outcome, $"{method} {url} → {answer.Body[..Math.Min(answer.Body.Length, 300)]}"));
        return answer;
    }

    public Task<ApiAnswer> GetAsync(SiloProcess silo, string url) => SendAsync(silo, HttpMethod.Get, url);

    public Task<ApiAnswer> PostAsync(SiloProcess silo, string url, object body) => SendAsync(silo, HttpMethod.Post, url, body);

    /// <summary>Per phase, each outcome and how often it was seen, e.g. "silo-kill: 200×31, 503 with Retry-After×4".</summary>
    public IEnumerable<string> Summary() => seen
        .GroupBy(s => s.Phase)
        .Select(p => $"{p.Key}: " + string.Join(", ", p.GroupBy(s => s.Outcome).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}×{o.Count()}")));

    /// <summary>Server errors the specification does not allow: any 5xx except a 503 that says when to retry.</summary>
    public IEnumerable<string> Forbidden() => seen
        .Where(s => s.Outcome.StartsWith('5') && s.Outcome != "503 with Retry-After")
        .GroupBy(s => (s.Phase, s.Outcome))
        .Select(g => $"{g.Key.Phase}: {g.Key.Outcome}×{g.Count()}, first: {g.First().Request}");

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }
}
