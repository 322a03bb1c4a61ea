using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Command.Contracts.Media;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Apis;

/// <summary>
/// Watching a camera or a venue the WHEP way against the node's own bridge: who may watch what, how
/// unusable requests are refused (as problem details, changing nothing), and that a watch is answered,
/// audited with who watches what, and ended by DELETE on its Location.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class WhepApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    /// <summary>禅城 (440604): within the city's authority, outside 三水's.</summary>
    private const string Camera = "cam-police-zumiao-01";

    /// <summary>A browser's receive-only offer, as Chromium writes one for two recvonly transceivers.</summary>
    private const string ChromiumOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk9p\r\na=ice-pwd:2bqR8fK1mZbT0qzN4y7Uo3s5\r\n" +
        "a=fingerprint:sha-256 0F:3D:8A:6E:39:2B:93:3C:1A:E5:58:71:C4:A0:6B:77:8D:DA:94:62:6B:C8:57:02:57:36:0A:BE:4A:A3:90:1C\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96 102\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk9p\r\na=ice-pwd:2bqR8fK1mZbT0qzN4y7Uo3s5\r\n" +
        "a=fingerprint:sha-256 0F:3D:8A:6E:39:2B:93:3C:1A:E5:58:71:C4:A0:6B:77:8D:DA:94:62:6B:C8:57:02:57:36:0A:BE:4A:A3:90:1C\r\n" +
        "a=setup:actpass\r\na=mid:1\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\n" +
        "a=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";

    private static readonly string Vp8Only = ChromiumOffer
        .Replace("96 102\r\n", "96\r\n", StringComparison.Ordinal)
        .Replace("a=rtpmap:102 H264/90000\r\na=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n", "", StringComparison.Ordinal);

    [Fact]
    public async Task A_viewer_watches_a_camera_in_its_region_gets_an_h264_sendonly_answer_and_ends_the_watch_with_delete()
    {
        await BridgeAnnouncedAsync();
        using var viewer = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));
        var before = await WatchingAsync();

        using var watched = await PostOfferAsync(viewer, $"/api/feeds/{Camera}/whep", ChromiumOffer);

        var answer = await watched.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(watched.StatusCode == HttpStatusCode.Created, answer);
        Assert.Equal("application/sdp", watched.Content.Headers.ContentType?.MediaType);
        var location = watched.Headers.Location?.OriginalString ?? "";
        Assert.Matches($"^/api/feeds/{Camera}/whep/[0-9a-f]{{24}}$", location);
        Assert.Contains("a=rtpmap:102 H264/90000", answer, StringComparison.Ordinal);
        Assert.Contains("a=sendonly", answer, StringComparison.Ordinal);
        Assert.Contains("m=audio 0 ", answer, StringComparison.Ordinal);
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Equal(before + 1, await WatchingAsync());

        using var stranger = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.Sanshui));
        using var refused = await stranger.DeleteAsync(location, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var elsewhere = await viewer.DeleteAsync(location.Replace(Camera, "cam-police-guicheng-01", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);

        using var ended = await viewer.DeleteAsync(location, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(before, await WatchingAsync());
        using var again = await viewer.DeleteAsync(location, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Watching_a_camera_is_audited_with_the_watcher_the_camera_and_the_watch()
    {
        await BridgeAnnouncedAsync();
        var user = TestUsers.For("emergency-officer", TestUsers.City);
        using var officer = await Factory.CreateClientAsAsync(user);

        using var watched = await PostOfferAsync(officer, $"/api/feeds/{Camera}/whep", ChromiumOffer);
        Assert.Equal(HttpStatusCode.Created, watched.StatusCode);
        var location = watched.Headers.Location!.OriginalString;
        var watchId = location[(location.LastIndexOf('/') + 1)..];
        using var ended = await officer.DeleteAsync(location, TestContext.Current.CancellationToken);

        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var entries = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 40)}&count=40"))["entries"]!.AsArray().Select(e => e!).ToList();
        var attempt = entries.Last(e => (string?)e["action"] == $"POST /api/feeds/{Camera}/whep" && (string?)e["kind"] == "attempt");
        var outcome = entries.Single(e => (string?)e["completes"] == (string?)attempt["entryId"]);
        Assert.Equal(user, (string?)attempt["actor"]);
        Assert.Equal(Camera, (string?)attempt["target"]);
        Assert.Equal(201, (int?)outcome["outcome"]);
        Assert.Contains($"watch {watchId} of camera {Camera}", (string?)outcome["detail"], StringComparison.Ordinal);
        Assert.Contains(entries, e => (string?)e["action"] == $"DELETE {location}" && (string?)e["kind"] == "attempt" && (string?)e["actor"] == user);
    }

    [Fact]
    public async Task Only_signed_in_users_with_authority_over_the_camera_or_venue_may_watch()
    {
        await BridgeAnnouncedAsync();
        var id = await StartSessionAsync();
        try
        {
            using var anonymous = Factory.CreateClient();
            using var stranger = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.Sanshui));
            using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.Sanshui));

            Assert.Equal(HttpStatusCode.Unauthorized, (await PostOfferAsync(anonymous, $"/api/feeds/{Camera}/whep", ChromiumOffer)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostOfferAsync(anonymous, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostOfferAsync(stranger, $"/api/feeds/{Camera}/whep", ChromiumOffer)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostOfferAsync(chair, $"/api/feeds/{Camera}/whep", ChromiumOffer)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostOfferAsync(stranger, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/feeds/{Camera}/whep/0123", TestContext.Current.CancellationToken)).StatusCode);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Unusable_requests_are_refused_with_problem_details()
    {
        await BridgeAnnouncedAsync();
        var id = await StartSessionAsync();
        try
        {
            using var plain = new StringContent(ChromiumOffer, Encoding.UTF8, "text/plain");
            await ExpectProblemAsync(await http.PostAsync($"/api/feeds/{Camera}/whep", plain, TestContext.Current.CancellationToken), HttpStatusCode.UnsupportedMediaType, "application/sdp");
            await ExpectProblemAsync(await PostOfferAsync(http, "/api/feeds/no-such-camera/whep", ChromiumOffer), HttpStatusCode.NotFound, "no-such-camera");
            await ExpectProblemAsync(await PostOfferAsync(http, "/api/sessions/no-such-session/venues/fs-chancheng-zumiao/whep", ChromiumOffer), HttpStatusCode.NotFound, "no-such-session");
            await ExpectProblemAsync(await PostOfferAsync(http, $"/api/sessions/{id}/venues/fs-shunde/whep", ChromiumOffer), HttpStatusCode.NotFound, "fs-shunde");
            await ExpectProblemAsync(await PostOfferAsync(http, $"/api/feeds/{Camera}/whep", "v=0\r\nnot an offer"), HttpStatusCode.BadRequest, "SDP");
            await ExpectProblemAsync(await PostOfferAsync(http, $"/api/feeds/{Camera}/whep", Vp8Only), HttpStatusCode.BadRequest, "H.264");
            await ExpectProblemAsync(
                await PostOfferAsync(http, $"/api/feeds/{Camera}/whep", ChromiumOffer.Replace("a=recvonly", "a=sendonly", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "recvonly");

            // No venue of the session sends a picture yet (nobody is registered on this node), so there is no codec to watch in.
            await ExpectProblemAsync(await PostOfferAsync(http, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer), HttpStatusCode.Conflict, "picture");
            await ExpectProblemAsync(await http.DeleteAsync($"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep/0123", TestContext.Current.CancellationToken), HttpStatusCode.NotFound, "0123");
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }

        await ExpectProblemAsync(await PostOfferAsync(http, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer), HttpStatusCode.Conflict, "ended");
    }

    [Fact]
    public async Task A_venue_of_a_session_whose_picture_is_h264_is_watched_and_the_watch_ends_with_the_session()
    {
        await BridgeAnnouncedAsync();
        var id = await StartSessionAsync();
        var before = await WatchingAsync();
        try
        {
            // A camera attached to the session fixes its video to H.264, so its venues' pictures can be watched.
            await http.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId = Camera });
            using var viewer = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));

            using var watched = await PostOfferAsync(viewer, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", Vp8Only);
            Assert.Equal(HttpStatusCode.BadRequest, watched.StatusCode);
            using var h264 = await PostOfferAsync(viewer, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer);
            var answer = await h264.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(h264.StatusCode == HttpStatusCode.Created, answer);
            Assert.Matches($"^/api/sessions/{id}/venues/fs-chancheng-zumiao/whep/[0-9a-f]{{24}}$", h264.Headers.Location?.OriginalString);
            Assert.Equal(before + 1, await WatchingAsync());
            Assert.Contains("H264/90000", answer, StringComparison.Ordinal);

            var session = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.DoesNotContain("watch:", session.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }

        await Eventually.Until(WatchingAsync, watching => watching == before, TimeSpan.FromSeconds(10));
    }

    /// <summary>How many watches the node's bridge holds, as its health check says.</summary>
    private async Task<int> WatchingAsync()
    {
        using var client = Factory.CreateClient();
        var health = await client.GetJsonAsync("/health");
        return int.Parse(WatchingPattern().Match((string)health["checks"]!["bridge"]!["description"]!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(\d+) watching")]
    private static partial Regex WatchingPattern();

    /// <summary>
    /// A session that has just moved to a bridge that has not taken its plan yet: the watcher is told to
    /// come back shortly (503 with Retry-After), as a browser joining it would be.
    /// </summary>
    [Fact]
    public async Task A_venue_watch_while_the_sessions_new_bridge_is_taking_it_on_is_answered_503_with_retry_after()
    {
        await BridgeAnnouncedAsync();
        var grains = Factory.Services.GetRequiredService<IGrainFactory>();
        var registry = grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);
        var taking = new TakingOnBridge();
        var reference = grains.CreateObjectReference<IMediaBridgeObserver>(taking);
        var bridgeId = $"taking-on-{Guid.NewGuid():N}";
        await registry.RegisterAsync(new BridgeInfo(bridgeId, "1", "127.0.0.1:5060", 100_000, 0, 0, true), reference);
        var id = await StartSessionAsync();
        try
        {
            if (await registry.GetAssignmentAsync(id) is { } first && first != bridgeId)
            {
                await registry.UnregisterAsync(first);
            }

            Assert.Equal(bridgeId, await registry.GetAssignmentAsync(id));
            using var response = await PostOfferAsync(http, $"/api/sessions/{id}/venues/fs-chancheng-zumiao/whep", ChromiumOffer);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Single(taking.Watches);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
            await registry.UnregisterAsync(bridgeId);
            grains.DeleteObjectReference<IMediaBridgeObserver>(reference);
        }
    }

    /// <summary>Another test may have had the node's bridge leave; it announces itself again within a heartbeat.</summary>
    private Task BridgeAnnouncedAsync() =>
        Eventually.Until(
            () => Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).GetBridgesAsync(),
            bridges => bridges.Any(b => b.Healthy),
            TimeSpan.FromSeconds(10));

    private async Task<string> StartSessionAsync()
    {
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "画面监看", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-chancheng-zumiao" }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task<HttpResponseMessage> PostOfferAsync(HttpClient client, string path, string sdp)
    {
        using var offer = new StringContent(sdp, Encoding.UTF8);
        offer.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        return await client.PostAsync(path, offer, TestContext.Current.CancellationToken);
    }

    private static async Task ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mentions, (string?)JsonNode.Parse(body)?["detail"] ?? "", StringComparison.Ordinal);
        }
    }
}
