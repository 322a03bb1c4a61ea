using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>The booking form asks what a booking would collide with before it saves; asking changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class ScheduleConflictsApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task A_venue_booked_at_an_overlapping_time_is_named_and_nothing_is_booked()
    {
        var start = FreeSlot();
        var booking = (string)(await http.PostJsonAsync(
            "/api/schedules",
            new { title = "冲突预查甲", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-chancheng-nanzhuang" }, start, durationMinutes = 60 },
            HttpStatusCode.Created))["id"]!;
        try
        {
            var before = (await http.GetJsonAsync("/api/schedules")).AsArray().Count;

            var overlapping = await ConflictsAsync("fs-sanfang", ["fs-chancheng-nanzhuang", "fs-gaoming-mingcheng"], start.AddMinutes(30), 60);
            var after = await ConflictsAsync("fs-sanfang", ["fs-chancheng-nanzhuang"], start.AddMinutes(60), 60);
            var weekly = await ConflictsAsync("fs-sanfang", ["fs-chancheng-nanzhuang"], start.AddDays(-7), 60, "&recurrence=weekly&occurrences=2");

            var conflict = Assert.Single(overlapping);
            Assert.Equal("fs-chancheng-nanzhuang", (string?)conflict!["venueId"]);
            Assert.Equal("booking", (string?)conflict["kind"]);
            Assert.Equal(booking, (string?)conflict["id"]);
            Assert.Equal("冲突预查甲", (string?)conflict["title"]);
            Assert.Equal(start, (DateTimeOffset)conflict["start"]!);
            Assert.Empty(after);
            Assert.Equal(booking, (string?)Assert.Single(weekly)!["id"]);
            Assert.Equal(before, (await http.GetJsonAsync("/api/schedules")).AsArray().Count);
        }
        finally
        {
            await http.PostJsonAsync($"/api/schedules/{booking}/cancel", null);
        }
    }

    [Fact]
    public async Task A_venue_in_a_live_session_with_no_set_end_is_named()
    {
        var session = (string)(await http.PostJsonAsync(
            "/api/sessions",
            new { title = "冲突预查现场", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-jiujiang" } },
            HttpStatusCode.Created))["id"]!;
        try
        {
            var conflicts = await ConflictsAsync("fs-police", ["fs-nanhai-jiujiang"], FreeSlot(), 30);

            var conflict = Assert.Single(conflicts, c => (string?)c!["id"] == session);
            Assert.Equal("fs-nanhai-jiujiang", (string?)conflict!["venueId"]);
            Assert.Equal("session", (string?)conflict["kind"]);
            Assert.Null(conflict["end"]);
        }
        finally
        {
            await http.PostJsonAsync($"/api/sessions/{session}/end", null);
        }

        Assert.DoesNotContain(await ConflictsAsync("fs-police", ["fs-nanhai-jiujiang"], FreeSlot(), 30), c => (string?)c!["id"] == session);
    }

    [Fact]
    public async Task A_bad_query_is_a_problem_and_a_district_user_cannot_ask_about_other_districts()
    {
        var start = Uri.EscapeDataString(FreeSlot().ToString("O"));
        using var response = await http.GetAsync($"/api/schedules/conflicts?chairVenueId=fs-police&start={start}&durationMinutes=0", TestContext.Current.CancellationToken);
        using var badRecurrence = await http.GetAsync($"/api/schedules/conflicts?chairVenueId=fs-police&start={start}&durationMinutes=30&recurrence=1", TestContext.Current.CancellationToken);
        using var sanshui = await Factory.CreateClientAsAsync(TestUsers.For("meeting-operator", TestUsers.Sanshui));
        using var outside = await sanshui.GetAsync($"/api/schedules/conflicts?chairVenueId=fs-police&start={start}&durationMinutes=30", TestContext.Current.CancellationToken);
        using var viewer = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));
        using var forbidden = await viewer.GetAsync($"/api/schedules/conflicts?chairVenueId=fs-police&start={start}&durationMinutes=30", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badRecurrence.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private async Task<JsonArray> ConflictsAsync(string chair, string[] venues, DateTimeOffset start, int minutes, string more = "")
    {
        var query = string.Concat(venues.Select(v => "&venueId=" + Uri.EscapeDataString(v)));
        var at = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture));
        return (await http.GetJsonAsync($"/api/schedules/conflicts?chairVenueId={chair}&start={at}&durationMinutes={minutes}{query}{more}")).AsArray();
    }

    // Far enough ahead, and spread out, that no other test's booking shares the slot.
    private static DateTimeOffset FreeSlot()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(400 + Random.Shared.Next(0, 20000)).AddHours(Random.Shared.Next(0, 24));
    }
}
