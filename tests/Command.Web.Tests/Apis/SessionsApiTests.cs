using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class SessionsApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{

    [Fact]
    public async Task The_newcomer_workflow_is_visible_in_each_get()
    {
        var response = await http.PostAsJsonAsync(
            "/api/sessions",
            new { title = "禅城南海联合会商", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-chancheng", "fs-nanhai" } },
            TestContext.Current.CancellationToken);
        var created = await response.ReadAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        Assert.Equal($"/api/sessions/{id}", response.Headers.Location?.ToString());
        try
        {
            Assert.Equal("live", (string?)created["state"]);

            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai" });
            var afterBroadcast = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("fs-nanhai", (string?)afterBroadcast["broadcastVenueId"]);
            Assert.Equal("fs-nanhai", (string?)afterBroadcast.Venue("fs-chancheng")["viewingVenueId"]);

            await http.PostJsonAsync($"/api/sessions/{id}/rollcall", new { venueId = "fs-chancheng" });
            var afterRollCall = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("fs-chancheng", (string?)afterRollCall["speakerVenueId"]);
            Assert.Equal(true, (bool?)afterRollCall.Venue("fs-nanhai")["muted"]);

            await http.PostJsonAsync($"/api/sessions/{id}/backup", new { failedVenueId = "fs-chancheng" });
            var afterBackup = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("replaced", (string?)afterBackup.Venue("fs-chancheng")["status"]);
            Assert.Equal("joined", (string?)afterBackup.Venue("fs-chancheng-backup")["status"]);
            Assert.Equal("fs-chancheng-backup", (string?)afterBackup["speakerVenueId"]);
            var backup = await http.GetJsonAsync("/api/venues/fs-chancheng-backup");
            Assert.Equal(id, (string?)backup["sessionId"]);
            Assert.Equal("offline", (string?)backup["status"]);

            await http.PostJsonAsync($"/api/sessions/{id}/end", null);
            var ended = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("ended", (string?)ended["state"]);
            Assert.Equal("offline", (string?)(await http.GetJsonAsync("/api/venues/fs-chancheng-backup"))["status"]);
            Assert.Contains(
                (await http.GetJsonAsync($"/api/sessions/{id}/timeline")).AsArray(),
                e => (string?)e!["action"] == "backup");
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_session_contract_has_every_documented_field()
    {
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "全市视频会议", kind = "meeting", chairVenueId = "fs-mobile-1", venueIds = new[] { "fs-desktop-duty" }, @public = true },
            HttpStatusCode.Created);

        foreach (var field in new[] { "id", "state", "chairVenueId", "broadcastVenueId", "speakerVenueId", "locked", "venues" })
        {
            Assert.True(created.AsObject().ContainsKey(field), field);
        }

        Assert.Equal("scheduled", (string?)created["state"]);
        Assert.Equal(true, (bool?)created["public"]);
        var venue = created.Venue("fs-desktop-duty").AsObject();
        Assert.All(new[] { "venueId", "status", "muted", "viewingVenueId" }, f => Assert.True(venue.ContainsKey(f), f));
        Assert.Contains(
            (await http.GetJsonAsync("/api/sessions?state=scheduled")).AsArray(),
            s => (string?)s!["id"] == (string?)created["id"]);
    }

    [Theory]
    [InlineData("""{"kind":"emergency","chairVenueId":"fs-main"}""", "title")]
    [InlineData("""{"title":"t","kind":"party","chairVenueId":"fs-main"}""", "kind")]
    [InlineData("""{"title":"t","kind":"emergency","chairVenueId":"fs-main","venueIds":"fs-nanhai"}""", "venueIds")]
    [InlineData("""{"title":"t","kind":1,"chairVenueId":"fs-main"}""", "kind")]
    [InlineData("""{"title":"t","kind":"emergency","chairVenueId":"fs-main","colour":"red"}""", "colour")]
    [InlineData("""{"title":"t","kind":"emergency",""", "JSON")]
    [InlineData("", "body")]
    public async Task Bad_input_is_a_400_problem_that_names_the_field(string body, string expected)
    {
        var before = (await http.GetJsonAsync("/api/sessions")).AsArray().Count;

        var problem = await http.PostRawAsync("/api/sessions", body, HttpStatusCode.BadRequest);

        Assert.Equal(400, (int?)problem["status"]);
        Assert.Contains(expected, (string?)problem["detail"] + (string?)problem["title"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await http.GetJsonAsync("/api/sessions")).AsArray().Count);
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        var paths = new[] { "/api/sessions/s-none", "/api/incidents/inc-none", "/api/feeds/feed-none", "/api/schedules/bk-none", "/api/venues/no-venue" };
        foreach (var path in paths)
        {
            var problem = await http.GetJsonAsync(path, HttpStatusCode.NotFound);
            Assert.Equal(404, (int?)problem["status"]);
        }

        await http.PostJsonAsync("/api/sessions/s-none/broadcast", new { venueId = "fs-main" }, HttpStatusCode.NotFound);
        await http.PostJsonAsync("/api/sessions", new { title = "t", kind = "meeting", chairVenueId = "no-venue" }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_rule_violation_is_a_409_problem_and_changes_nothing()
    {
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "三防会商", kind = "emergency", chairVenueId = "fs-sanfang", venueIds = new[] { "fs-gaoming" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var notIn = await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-sanshui" }, HttpStatusCode.Conflict);
            await http.PostJsonAsync($"/api/sessions/{id}/lock", new { locked = true });
            var locked = await http.PostJsonAsync($"/api/sessions/{id}/venues", new { venueId = "fs-sanshui" }, HttpStatusCode.Conflict);
            var busy = await http.PostJsonAsync(
                "/api/sessions",
                new { title = "另一会商", kind = "emergency", chairVenueId = "fs-gaoming" },
                HttpStatusCode.Conflict);

            Assert.Contains("fs-sanshui", (string?)notIn["detail"]);
            Assert.Contains("locked", (string?)locked["detail"]);
            Assert.Contains(id, (string?)busy["detail"]);
            var after = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal((long)created["version"]! + 1, (long)after["version"]!);
            Assert.Equal(2, after["venues"]!.AsArray().Count);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Polling_view_mute_and_feeds_work_through_the_api()
    {
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "轮询测试", kind = "emergency", chairVenueId = "fs-shunde", venueIds = new[] { "fs-shunde-ronggui", "fs-shunde-beijiao" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var polling = await http.PostJsonAsync($"/api/sessions/{id}/poll", new { venueIds = new[] { "fs-shunde-ronggui", "fs-shunde-beijiao" }, intervalSeconds = 30 });
            Assert.Equal(30, (int?)polling["polling"]!["intervalSeconds"]);

            var viewed = await http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-shunde", targetVenueId = "fs-shunde-beijiao" });
            Assert.Equal("fs-shunde-beijiao", (string?)viewed.Venue("fs-shunde")["viewingVenueId"]);

            var muted = await http.PostJsonAsync($"/api/sessions/{id}/mute", new { muted = true });
            Assert.Equal(false, (bool?)muted.Venue("fs-shunde")["muted"]);
            Assert.Equal(true, (bool?)muted.Venue("fs-shunde-ronggui")["muted"]);

            var feeds = (await http.GetJsonAsync("/api/feeds")).AsArray();
            var feedId = (string)feeds[0]!["id"]!;
            var withFeed = await http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId });
            Assert.Contains(withFeed["feedIds"]!.AsArray(), f => (string?)f == feedId);

            var stopped = await http.PostJsonAsync($"/api/sessions/{id}/poll/stop", null);
            Assert.Null(stopped["polling"]);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }
}
