using System.Net;
using System.Text.Json.Nodes;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>Cascade uplinks over HTTP: defined by an admin, listed in the BRIEF §4 shape, never showing or auditing the password.</summary>
[Collection(ApiCollection.Name)]
public sealed class CascadeApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task An_admin_defines_an_uplink_which_is_listed_without_its_password_and_removed()
    {
        var name = "省平台-" + Guid.NewGuid().ToString("N")[..8];
        var password = "pw-" + Guid.NewGuid().ToString("N");

        var created = await http.PostJsonAsync("/api/cascade/uplinks", new { name, registrar = "127.0.0.1:9", username = "1000", password }, HttpStatusCode.Created);

        var id = (string)created["id"]!;
        Assert.Equal((name, "sip:127.0.0.1:9", "offline"), ((string?)created["name"], (string?)created["registrar"], (string?)created["status"]));
        Assert.True(created.AsObject().ContainsKey("sessionId"));
        Assert.DoesNotContain(password, created.ToJsonString(), StringComparison.Ordinal);
        var listed = (await http.GetJsonAsync("/api/cascade/uplinks")).AsArray().Single(u => (string?)u!["id"] == id)!;
        Assert.DoesNotContain(password, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("1000", (string?)listed["username"]);

        var entries = await RecentAsync(20);
        var attempt = entries.Last(e => (string?)e["action"] == "POST /api/cascade/uplinks" && (string?)e["kind"] == "attempt");
        Assert.Equal("***", (string?)JsonNode.Parse((string)attempt["parameters"]!)!["body"]!["password"]);
        Assert.DoesNotContain(entries, e => e.ToJsonString().Contains(password, StringComparison.Ordinal));

        using var removed = await http.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await http.GetJsonAsync($"/api/cascade/uplinks/{id}", HttpStatusCode.NotFound);
        using var again = await http.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task An_uplink_names_the_venues_of_its_relay_sessions()
    {
        var name = "省平台-" + Guid.NewGuid().ToString("N")[..8];

        var created = await http.PostJsonAsync("/api/cascade/uplinks",
            new { name, registrar = "127.0.0.1:9", username = "1000", password = "pw", venueIds = new[] { "fs-main", " fs-nanhai ", "fs-main" } }, HttpStatusCode.Created);
        await http.PostJsonAsync("/api/cascade/uplinks",
            new { name = name + "-bad", registrar = "127.0.0.1:9", username = "1000", password = "pw", venueIds = new[] { "" } }, HttpStatusCode.BadRequest);

        Assert.Equal(["fs-main", "fs-nanhai"], created["venueIds"]!.AsArray().Select(v => (string)v!));
        using var removed = await http.DeleteAsync($"/api/cascade/uplinks/{(string)created["id"]!}", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_uplink_is_a_source_only_of_the_relay_session_bound_to_it_and_a_venue_below_is_roll_called_by_its_cascade_venue()
    {
        var session = await http.PostJsonAsync("/api/sessions",
            new { title = "级联测试", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui", "fs-gaoming" } }, HttpStatusCode.Created);
        var id = (string)session["id"]!;

        var problem = await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { uplinkId = "up-none" }, HttpStatusCode.Conflict);
        await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-sanshui", uplinkId = "up-none" }, HttpStatusCode.BadRequest);
        await http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-sanshui", targetUplinkId = "up-none" }, HttpStatusCode.Conflict);
        Assert.Contains("up-none", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("fs-main", (string?)(await http.GetJsonAsync($"/api/sessions/{id}"))["broadcastVenueId"]);

        var called = await http.PostJsonAsync($"/api/sessions/{id}/cascade/rollcall", new { venueId = "fs-gaoming", remoteVenueId = "fs-gaoming-village" });

        Assert.Equal("fs-gaoming-village", (string?)called["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == "fs-gaoming")!["remoteVenueId"]);
        await http.PostJsonAsync($"/api/sessions/{id}/cascade/rollcall", new { venueId = "fs-police", remoteVenueId = "x" }, HttpStatusCode.Conflict);
        await http.PostJsonAsync($"/api/sessions/{id}/end", new { });
    }

    [Fact]
    public async Task Bad_input_is_a_problem_and_changes_nothing()
    {
        var before = (await http.GetJsonAsync("/api/cascade/uplinks")).AsArray().Count;

        var problem = await http.PostJsonAsync("/api/cascade/uplinks", new { name = "坏地址", registrar = "sip:user@host;transport=tcp", username = "1000", password = "pw" }, HttpStatusCode.BadRequest);
        await http.PostJsonAsync("/api/cascade/uplinks", new { name = "无密码", registrar = "sip:127.0.0.1", username = "1000" }, HttpStatusCode.BadRequest);
        await http.PostRawAsync("/api/cascade/uplinks", "{not json", HttpStatusCode.BadRequest);

        Assert.Contains("registrar", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(400, (int?)problem["status"]);
        Assert.Equal(before, (await http.GetJsonAsync("/api/cascade/uplinks")).AsArray().Count);
    }

    [Fact]
    public async Task Only_an_admin_may_define_or_remove_an_uplink()
    {
        using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));

        await chair.PostJsonAsync("/api/cascade/uplinks", new { name = "越权", registrar = "sip:127.0.0.1:9", username = "1000", password = "pw" }, HttpStatusCode.Forbidden);
        var created = await http.PostJsonAsync("/api/cascade/uplinks", new { name = "越权-" + Guid.NewGuid().ToString("N")[..8], registrar = "sip:127.0.0.1:9", username = "1000", password = "pw" }, HttpStatusCode.Created);
        using var refused = await chair.DeleteAsync($"/api/cascade/uplinks/{(string)created["id"]!}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotEmpty((await chair.GetJsonAsync("/api/cascade/uplinks")).AsArray());
        await http.DeleteAsync($"/api/cascade/uplinks/{(string)created["id"]!}", TestContext.Current.CancellationToken);
    }

    private async Task<List<JsonNode>> RecentAsync(int count)
    {
        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        return [.. (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - count)}&count={count}"))["entries"]!.AsArray().Select(e => e!)];
    }
}
