using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>The publicity gate (公开审批): public at creation is only a request, decided by an admin or a meeting-operator over the chair venue.</summary>
[Collection(ApiCollection.Name)]
public sealed class PublicityApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task A_public_request_is_decided_by_an_admin_or_a_meeting_operator_with_authority_and_audited()
    {
        var id = await CreateAsync(new { title = "公开会议", kind = "meeting", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" }, @public = true });
        var session = await http.GetJsonAsync($"/api/sessions/{id}");
        Assert.Equal("requested", (string?)session["publicity"]);
        Assert.True((bool)session["public"]!);

        using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));
        await chair.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true }, HttpStatusCode.Forbidden);
        using var district = await Factory.CreateClientAsAsync(TestUsers.For("meeting-operator", TestUsers.Sanshui));
        await district.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true }, HttpStatusCode.Forbidden);
        Assert.Equal("requested", (string?)(await http.GetJsonAsync($"/api/sessions/{id}"))["publicity"]);

        using var meeting = await Factory.CreateClientAsAsync(TestUsers.For("meeting-operator", TestUsers.City));
        await meeting.PostJsonAsync($"/api/sessions/{id}/publish", new { }, HttpStatusCode.BadRequest);
        var approved = await meeting.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true });
        Assert.Equal("approved", (string?)approved["publicity"]);

        var withdrawn = await http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = false });
        Assert.Equal("refused", (string?)withdrawn["publicity"]);

        var timeline = (await http.GetJsonAsync($"/api/sessions/{id}/timeline")).AsArray();
        Assert.Contains(timeline, e => (string?)e!["action"] == "publicity-approved");
        Assert.Contains(timeline, e => (string?)e!["action"] == "publicity-withdrawn");

        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var audit = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 50)}&count=50"))["entries"]!.AsArray();
        Assert.Contains(audit, e => (string?)e!["action"] == $"POST /api/sessions/{id}/publish" && (string?)e["detail"] == "publicity approved" && (int)e["outcome"]! == 200);
        Assert.Contains(audit, e => (string?)e!["action"] == $"POST /api/sessions/{id}/publish" && (string?)e["detail"] == "publicity refused or withdrawn" && (int)e["outcome"]! == 200);
    }

    [Fact]
    public async Task A_session_that_did_not_ask_to_be_public_cannot_be_approved()
    {
        var id = await CreateAsync(new { title = "内部会议", kind = "meeting", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" } });
        Assert.Equal("none", (string?)(await http.GetJsonAsync($"/api/sessions/{id}"))["publicity"]);

        await http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true }, HttpStatusCode.Conflict);
        Assert.Equal("none", (string?)(await http.GetJsonAsync($"/api/sessions/{id}"))["publicity"]);
    }

    private async Task<string> CreateAsync(object body)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", body, TestContext.Current.CancellationToken);
        return (string)(await response.ReadAsync(HttpStatusCode.Created))["id"]!;
    }
}
