using System.Net;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class IncidentsAndSchedulesApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{

    [Fact]
    public async Task An_incident_is_reported_escalated_and_read_back_with_its_timeline()
    {
        var response = await http.PostJsonAsync(
            "/api/incidents",
            new { title = "芦苞堤段管涌", type = "flood", severity = 4, regionCode = "440607105" },
            HttpStatusCode.Created);
        var id = (string)response["id"]!;
        Assert.Equal("district", (string?)response["commandLevel"]);
        Assert.Equal("440607", (string?)response["commandRegionCode"]);
        Assert.Equal("fs-sanshui", (string?)response["commandVenueId"]);

        var escalated = await http.PostJsonAsync($"/api/incidents/{id}/escalate", new { reason = "险情扩大" });

        Assert.Equal(3, (int?)escalated["severity"]);
        Assert.Equal("city", (string?)escalated["commandLevel"]);
        Assert.Equal("fs-main", (string?)escalated["commandVenueId"]);
        var read = await http.GetJsonAsync($"/api/incidents/{id}");
        Assert.Equal(["reported", "escalated"], read["timeline"]!.AsArray().Select(e => (string?)e!["action"]));
        Assert.Contains(id, (await http.GetJsonAsync("/api/incidents")).AsArray().Select(i => (string?)i!["id"]));
    }

    [Fact]
    public async Task An_incident_keeps_the_officers_description_and_refuses_one_too_long_without_creating_anything()
    {
        var created = await http.PostJsonAsync(
            "/api/incidents",
            new { title = "杨和镇山体滑坡", type = "geological", severity = 3, regionCode = "440608", description = "  2人被困，进镇道路中断  " },
            HttpStatusCode.Created);
        Assert.Equal("2人被困，进镇道路中断", (string?)(await http.GetJsonAsync($"/api/incidents/{(string)created["id"]!}"))["description"]);

        var title = $"过长-{Guid.NewGuid():N}";
        var problem = await http.PostJsonAsync(
            "/api/incidents", new { title, type = "flood", severity = 4, regionCode = "440608", description = new string('险', 2001) }, HttpStatusCode.BadRequest);
        Assert.Contains("description", (string?)problem["detail"]);
        Assert.DoesNotContain(title, (await http.GetJsonAsync("/api/incidents")).AsArray().Select(i => (string?)i!["title"]));
    }

    [Theory]
    [InlineData("""{"title":"x","type":"flood","severity":9,"regionCode":"440600"}""", HttpStatusCode.BadRequest, "severity")]
    [InlineData("""{"title":"x","type":"flood","regionCode":"440600"}""", HttpStatusCode.BadRequest, "severity")]
    [InlineData("""{"title":"x","type":"flood","severity":"II","regionCode":"440600"}""", HttpStatusCode.BadRequest, "severity")]
    [InlineData("""{"title":"x","type":"flood","severity":2,"regionCode":"999999"}""", HttpStatusCode.NotFound, "999999")]
    public async Task A_bad_incident_is_refused(string body, HttpStatusCode status, string expected)
    {
        var problem = await http.PostRawAsync("/api/incidents", body, status);

        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_closed_incident_refuses_escalation()
    {
        var id = (string)(await http.PostJsonAsync(
            "/api/incidents", new { title = "燃气泄漏", type = "gas", severity = 4, regionCode = "440608" }, HttpStatusCode.Created))["id"]!;

        var closed = await http.PostJsonAsync($"/api/incidents/{id}/status", new { status = "closed" });
        var refused = await http.PostJsonAsync($"/api/incidents/{id}/escalate", null, HttpStatusCode.Conflict);

        Assert.Equal("closed", (string?)closed["status"]);
        Assert.Contains("closed", (string?)refused["detail"]);
    }

    [Fact]
    public async Task Bookings_conflict_by_venue_and_time_and_can_be_cancelled()
    {
        var start = DateTimeOffset.UtcNow.AddDays(20).ToString("O");
        var booking = await http.PostJsonAsync(
            "/api/schedules",
            new { title = "月度调度会", chairVenueId = "fs-police", venueIds = new[] { "fs-gaoming-mingcheng" }, start, durationMinutes = 90, recurrence = "weekly", occurrences = 4 },
            HttpStatusCode.Created);
        var id = (string)booking["id"]!;

        var conflict = await http.PostJsonAsync(
            "/api/schedules",
            new { title = "临时会", chairVenueId = "fs-gaoming-mingcheng", start, durationMinutes = 30 },
            HttpStatusCode.Conflict);
        var cancelled = await http.PostJsonAsync($"/api/schedules/{id}/cancel", null);

        Assert.Contains(id, (string?)conflict["detail"]);
        Assert.Equal(true, (bool?)cancelled["cancelled"]);
        Assert.Single(booking["sessionIds"]!.AsArray());
        await http.PostJsonAsync(
            "/api/schedules",
            new { title = "临时会", chairVenueId = "fs-gaoming-mingcheng", start, durationMinutes = 30 },
            HttpStatusCode.Created);
    }
}
