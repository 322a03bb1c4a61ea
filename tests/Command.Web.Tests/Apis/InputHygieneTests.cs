using System.Net;
using System.Net.Http.Json;
using System.Text;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>Control and bidi characters, oversized bodies and unknown routes all get problem details, and change nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class InputHygieneTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Theory]
    [InlineData("title", "应急\u0000会商")]
    [InlineData("title", "会商\u202Egnp.exe")]
    [InlineData("title", "会商\u2066x\u2069")]
    [InlineData("title", "会商\u200F")]
    [InlineData("venueIds[0]", "fs-gaoming-yanghe\u0007")]
    public async Task Control_and_bidi_characters_in_any_text_field_are_refused_naming_the_field(string field, string value)
    {
        var before = (await http.GetJsonAsync("/api/sessions")).AsArray().Count;
        object body = field == "title"
            ? new { title = value, kind = "meeting", chairVenueId = "fs-gaoming" }
            : new { title = "会商", kind = "meeting", chairVenueId = "fs-gaoming", venueIds = new[] { value } };

        var problem = await http.PostJsonAsync("/api/sessions", body, HttpStatusCode.BadRequest);

        Assert.Equal(400, (int?)problem["status"]);
        Assert.StartsWith(field, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(before, (await http.GetJsonAsync("/api/sessions")).AsArray().Count);
    }

    [Fact]
    public async Task Nested_fields_and_other_endpoints_go_through_the_same_rule()
    {
        var incident = await http.PostJsonAsync("/api/incidents", new { title = "ok", type = "flood\u0001", severity = 4, regionCode = "440604" }, HttpStatusCode.BadRequest);
        var feed = await http.PostJsonAsync("/api/feeds", new { name = "摄像\u202D头", url = "rtsp://127.0.0.1/x", owner = "公安局", regionCode = "440604" }, HttpStatusCode.BadRequest);

        Assert.StartsWith("type", (string?)incident["detail"], StringComparison.Ordinal);
        Assert.StartsWith("name", (string?)feed["detail"], StringComparison.Ordinal);
        var fine = await http.PostJsonAsync("/api/sessions", new { title = "正常的标题 – 含破折号", kind = "meeting", chairVenueId = "fs-gaoming-mingcheng" }, HttpStatusCode.Created);
        await http.PostAsync($"/api/sessions/{fine["id"]}/end", null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_large_body_is_refused_with_413_problem_details_before_it_is_read()
    {
        var big = "{\"title\":\"" + new string('x', 10 * 1024 * 1024) + "\",\"kind\":\"meeting\",\"chairVenueId\":\"fs-gaoming\"}";
        using var sized = await http.PostAsync("/api/sessions", new StringContent(big, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await http.SendAsync(request, TestContext.Current.CancellationToken);

        foreach (var response in new[] { sized, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(413, (int?)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>(TestContext.Current.CancellationToken))!["status"]);
        }
    }

    [Fact]
    public async Task An_unknown_route_and_a_wrong_method_are_problem_details_too()
    {
        using var missing = await http.GetAsync("/api/nothing-here", TestContext.Current.CancellationToken);
        using var method = await http.PutAsync("/api/regions", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("application/problem+json", method.Content.Headers.ContentType?.MediaType);
    }
}
