using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Command.Silo.Tests.Infrastructure;

public static class Http
{
    public static async Task<JsonNode> PostJsonAsync(this HttpClient http, string url, object? body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);
        return await ReadAsync(response, expected);
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
