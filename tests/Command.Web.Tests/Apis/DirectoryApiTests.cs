using System.Net;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class DirectoryApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{

    [Fact]
    public async Task Regions_are_served_as_one_tree_from_province_to_township()
    {
        var root = await http.GetJsonAsync("/api/regions");

        Assert.Equal("440000", (string?)root["code"]);
        Assert.Equal("province", (string?)root["level"]);
        var city = root["children"]!.AsArray().Single()!;
        Assert.Equal("佛山市", (string?)city["name"]);
        Assert.Equal(
            ["禅城区", "南海区", "顺德区", "三水区", "高明区"],
            city["children"]!.AsArray().Select(d => (string?)d!["name"]));
        Assert.All(city["children"]!.AsArray(), d => Assert.All(d!["children"]!.AsArray(), t => Assert.Equal("township", (string?)t!["level"])));
    }

    [Fact]
    public async Task One_region_is_served_with_its_subtree_and_an_unknown_one_is_404()
    {
        var chancheng = await http.GetJsonAsync("/api/regions/440604");
        var missing = await http.GetJsonAsync("/api/regions/449999", HttpStatusCode.NotFound);

        Assert.Equal("district", (string?)chancheng["level"]);
        Assert.NotEmpty(chancheng["children"]!.AsArray());
        Assert.Equal(404, (int?)missing["status"]);
        Assert.Contains("449999", (string?)missing["detail"]);
    }

    [Fact]
    public async Task Venues_can_be_filtered_by_a_region_subtree()
    {
        var all = (await http.GetJsonAsync("/api/venues")).AsArray();
        var nanhai = (await http.GetJsonAsync("/api/venues?region=440605")).AsArray();
        var unknown = await http.GetJsonAsync("/api/venues?region=123456", HttpStatusCode.NotFound);

        Assert.True(all.Count >= 20);
        Assert.Contains(nanhai, v => (string?)v!["id"] == "fs-nanhai");
        Assert.True(nanhai.Count >= 3);
        Assert.All(nanhai, v => Assert.StartsWith("440605", (string?)v!["regionCode"]));
        Assert.All(all, v =>
        {
            Assert.Contains((string?)v!["kind"], new[] { "command", "branch", "backup", "mobile", "desktop" });
            Assert.Contains((string?)v!["status"], new[] { "offline", "online", "in-session" });
            Assert.False(string.IsNullOrEmpty((string?)v!["sipUser"]));
            Assert.Null(v!["sipPassword"]);
        });
        Assert.Equal(404, (int?)unknown["status"]);
    }

    [Fact]
    public async Task Feeds_are_listed_and_a_new_feed_is_validated_before_it_is_stored()
    {
        var before = (await http.GetJsonAsync("/api/feeds")).AsArray().Count;
        var bad = await http.PostJsonAsync("/api/feeds", new { name = "cam", url = "http://127.0.0.1/x", owner = "公安局", regionCode = "440604" }, HttpStatusCode.BadRequest);
        var noRegion = await http.PostJsonAsync("/api/feeds", new { name = "cam", url = "rtsp://127.0.0.1/x", owner = "公安局", regionCode = "000000" }, HttpStatusCode.BadRequest);
        Assert.Equal(before, (await http.GetJsonAsync("/api/feeds")).AsArray().Count);

        var response = await http.PostJsonAsync("/api/feeds", new { name = "季华路口", url = "rtsp://127.0.0.1:8554/police/jihua", owner = "佛山市公安局", regionCode = "440604" }, HttpStatusCode.Created);

        Assert.Contains("rtsp://", (string?)bad["detail"]);
        Assert.Contains("000000", (string?)noRegion["detail"]);
        Assert.True(before >= 4);
        Assert.Equal(before + 1, (await http.GetJsonAsync("/api/feeds")).AsArray().Count);
        Assert.Equal("季华路口", (string?)(await http.GetJsonAsync($"/api/feeds/{response["id"]}"))["name"]);
    }

    [Fact]
    public async Task Health_and_OpenAPI_are_served()
    {
        var health = await http.GetJsonAsync("/health");
        var openapi = await http.GetJsonAsync("/openapi/v1.json");

        Assert.Equal("healthy", (string?)health["status"]);
        Assert.NotNull(openapi["paths"]!["/api/sessions/{id}/broadcast"]);
        Assert.NotNull(openapi["paths"]!["/api/incidents"]);
    }
}
