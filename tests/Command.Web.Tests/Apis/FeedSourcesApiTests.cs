using System.Net;
using System.Text.Json.Nodes;
using Command.Contracts.Feeds;
using Command.Contracts.Sessions;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Apis;

/// <summary>Camera feeds as sources in a session, their status and their credentials, over HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class FeedSourcesApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    private const string Camera = "cam-sanfang-sixianjiao-01";

    [Fact]
    public async Task An_attached_feed_is_broadcast_viewed_polled_and_detached()
    {
        var id = await LiveSessionAsync();
        try
        {
            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { feedId = Camera }, HttpStatusCode.Conflict);
            await http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId = Camera });

            var broadcast = await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { feedId = Camera });
            Assert.Equal(Camera, (string?)broadcast["broadcastFeedId"]);
            Assert.Null((string?)broadcast["broadcastVenueId"]);
            Assert.Equal(Camera, (string?)broadcast.Venue("fs-sanshui")["viewingFeedId"]);
            Assert.Contains(
                (await http.GetJsonAsync($"/api/sessions/{id}/timeline")).AsArray(),
                e => (string?)e!["action"] == "broadcast" && (string?)e["detail"] == $"feed {Camera}");

            var viewed = await http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-main", targetVenueId = "fs-gaoming" });
            Assert.Equal("fs-gaoming", (string?)viewed.Venue("fs-main")["viewingVenueId"]);
            Assert.Null((string?)viewed.Venue("fs-main")["viewingFeedId"]);

            var polled = await http.PostJsonAsync(
                $"/api/sessions/{id}/poll",
                new { sources = new object[] { new { venueId = "fs-sanshui" }, new { feedId = Camera } }, intervalSeconds = 60 });
            Assert.Equal("fs-sanshui", (string?)polled["broadcastVenueId"]);
            Assert.Equal(Camera, (string?)polled["polling"]!["feedIds"]![0]);

            var detached = await SendAsync(HttpMethod.Delete, $"/api/sessions/{id}/feeds/{Camera}", HttpStatusCode.OK);
            Assert.Empty(detached["feedIds"]!.AsArray());
            Assert.Null(detached["polling"]);
            Assert.Equal("fs-sanshui", (string?)detached["broadcastVenueId"]);
            await SendAsync(HttpMethod.Delete, $"/api/sessions/{id}/feeds/{Camera}", HttpStatusCode.NotFound);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_source_must_be_named_exactly_once_and_a_bad_request_changes_nothing()
    {
        var id = await LiveSessionAsync();
        try
        {
            await http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId = Camera });
            var before = (long)(await http.GetJsonAsync($"/api/sessions/{id}"))["version"]!;

            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-sanshui", feedId = Camera }, HttpStatusCode.BadRequest);
            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { }, HttpStatusCode.BadRequest);
            await http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-main", targetVenueId = "fs-sanshui", targetFeedId = Camera }, HttpStatusCode.BadRequest);
            await http.PostJsonAsync($"/api/sessions/{id}/view", new { venueId = "fs-main" }, HttpStatusCode.BadRequest);
            await http.PostJsonAsync(
                $"/api/sessions/{id}/poll",
                new { venueIds = new[] { "fs-sanshui" }, sources = new[] { new { feedId = Camera } }, intervalSeconds = 5 },
                HttpStatusCode.BadRequest);

            Assert.Equal(before, (long)(await http.GetJsonAsync($"/api/sessions/{id}"))["version"]!);

            var polled = await http.PostJsonAsync(
                $"/api/sessions/{id}/poll", new { venueIds = new[] { "fs-sanshui", "fs-gaoming" }, feedIds = new[] { Camera }, intervalSeconds = 60 });
            Assert.Equal(3, polled["polling"]!["sources"]!.AsArray().Count);
            Assert.Equal(2, polled["polling"]!["venueIds"]!.AsArray().Count);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Feed_credentials_are_never_shown_nor_audited_yet_reach_the_bridge_plan()
    {
        var password = "cam-pw-" + Guid.NewGuid().ToString("N");
        var created = await http.PostJsonAsync(
            "/api/feeds",
            new { name = "加密堤围", url = "rtsp://127.0.0.1:8554/dyke", owner = "三防办", regionCode = "440607", username = "viewer", password },
            HttpStatusCode.Created);
        var feedId = (string)created["id"]!;

        var got = await http.GetJsonAsync($"/api/feeds/{feedId}");
        Assert.Equal(true, (bool?)got["hasCredentials"]);
        Assert.Equal("offline", (string?)got["status"]);
        Assert.DoesNotContain(password, got.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, created.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, (await http.GetJsonAsync("/api/feeds")).ToJsonString(), StringComparison.Ordinal);

        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var audit = await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 30)}&count=30");
        Assert.Contains(audit["entries"]!.AsArray(), e => (string?)e!["action"] == "POST /api/feeds");
        Assert.DoesNotContain(password, audit.ToJsonString(), StringComparison.Ordinal);

        var id = await LiveSessionAsync();
        try
        {
            await http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId });
            var plan = await Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(id).GetConferencePlanAsync();
            var planned = Assert.Single(plan!.Feeds);
            Assert.Equal(password, planned.Password);
            Assert.DoesNotContain(password, (await http.GetJsonAsync($"/api/sessions/{id}/timeline")).ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Feed_status_follows_the_bridge_report()
    {
        var feed = Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IFeedGrain>("cam-sanfang-lubao-dyke-01");
        await feed.ReportMediaAsync(new FeedMediaReport("test-bridge", FeedStatus.Online, "H264", 1920, 1080, 25, 4096, null, TimeSpan.FromMinutes(1)));

        var got = await http.GetJsonAsync("/api/feeds/cam-sanfang-lubao-dyke-01");
        var listed = (await http.GetJsonAsync("/api/feeds")).AsArray().Single(f => (string?)f!["id"] == "cam-sanfang-lubao-dyke-01")!;

        foreach (var f in new[] { got, listed })
        {
            Assert.Equal("online", (string?)f["status"]);
            Assert.Equal("H264", (string?)f["codec"]);
            Assert.Equal(1920, (int?)f["width"]);
            Assert.Equal(1080, (int?)f["height"]);
            Assert.Equal(25, (double?)f["fps"]);
            Assert.Equal(4096, (double?)f["bitrateKbps"]);
            Assert.Equal(false, (bool?)f["hasCredentials"]);
        }
    }

    [Theory]
    [InlineData("rtp://0.0.0.0:6004", HttpStatusCode.Created)]
    [InlineData("rtp://camera.example:6004", HttpStatusCode.BadRequest)]
    [InlineData("rtp://0.0.0.0", HttpStatusCode.BadRequest)]
    [InlineData("rtsp://admin:pw@127.0.0.1/x", HttpStatusCode.BadRequest)]
    public async Task Feed_urls_are_validated(string url, HttpStatusCode expected)
    {
        var response = await http.PostJsonAsync("/api/feeds", new { name = "推流", url, owner = "三防办", regionCode = "440607" }, expected);
        Assert.DoesNotContain("pw@", response.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<string> LiveSessionAsync()
    {
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "三水堤围监控会商", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui", "fs-gaoming" } },
            HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string url, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url);
        return await (await http.SendAsync(request, TestContext.Current.CancellationToken)).ReadAsync(expected);
    }
}
