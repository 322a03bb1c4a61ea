using System.Net;
using System.Text.Json.Nodes;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class RequestSizeTests(CommandApiFactory factory)
{
    [Fact]
    public async Task An_overlong_uri_is_414_problem_details()
    {
        using var http = await factory.CreateClientAsAsync(TestUsers.Admin);
        using var response = await http.GetAsync("/api/venues?region=" + new string('4', 9000), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong);
    }

    [Fact]
    public async Task An_overlarge_header_block_is_431_problem_details()
    {
        using var http = await factory.CreateClientAsAsync(TestUsers.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/venues");
        for (var i = 0; i < 5; i++)
        {
            request.Headers.Add($"X-Padding-{i}", new string('x', 8000));
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, (int?)JsonNode.Parse(body)!["status"]);
    }
}
