using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Command.Web.Tests.Infrastructure;

/// <summary>Reads responses as raw JSON, so the tests check the wire contract rather than our own types.</summary>
public static class Json
{
    public static async Task<JsonNode> ReadAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient http, string url, object? body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await http.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken)).ReadAsync(expected);

    public static async Task<JsonNode> GetJsonAsync(this HttpClient http, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await http.GetAsync(url, TestContext.Current.CancellationToken)).ReadAsync(expected);

    public static async Task<JsonNode> PostRawAsync(this HttpClient http, string url, string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return await (await http.PostAsync(url, content, TestContext.Current.CancellationToken)).ReadAsync(expected);
    }

    public static JsonNode Venue(this JsonNode session, string venueId) =>
        session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!;
}
