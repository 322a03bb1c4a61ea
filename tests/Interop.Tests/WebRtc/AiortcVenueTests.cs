using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.WebRtc;

/// <summary>
/// A scripted browser venue (aiortc: ICE, DTLS-SRTP, Opus and VP8 of its own) joins a live session
/// through the WHIP-style API beside a real SIP softphone: it decodes the softphone's picture and
/// hears its tone through the Opus side of the mix, and the softphone decodes the browser's picture.
/// </summary>
public sealed class AiortcVenueTests() : WorkFolderTest("command-webrtc-")
{
    [Fact]
    public async Task A_browser_venue_and_a_softphone_see_and_hear_each_other_and_the_browser_leaves_with_delete()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(Work);
        var (node, sipPort) = (started.Node, started.SipPort);

        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500);
        await NodeApi.VenuesOnlineAsync(node, () => chancheng.Output, "fs-chancheng");
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "防汛视频会商", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await Waiting.UntilAsync(async () => await NodeApi.LegStateAsync(node, id, "fs-chancheng") == "connected", "禅城's call connected", () => chancheng.Output);

        using var nanhai = AiortcVenue.Start(toneHz: 1100, listenHz: [500, 800, 1100], TimeSpan.FromSeconds(60));
        string Both() => $"{chancheng.Output}\n--- aiortc: {nanhai.Status?.ToJsonString()}\n{nanhai.Errors}";
        var offer = await nanhai.OfferAsync(cancel);
        var joinClock = Stopwatch.StartNew();
        using var joined = await NodeApi.PostOfferAsync(node, $"/api/sessions/{id}/venues/fs-nanhai/webrtc", offer);
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        Assert.Equal("application/sdp", joined.Content.Headers.ContentType?.MediaType);
        var location = joined.Headers.Location?.OriginalString;
        Assert.StartsWith($"/api/sessions/{id}/venues/fs-nanhai/webrtc/", location, StringComparison.Ordinal);
        var answer = await joined.Content.ReadAsStringAsync(cancel);
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        await nanhai.AnswerAsync(answer);

        await Waiting.UntilAsync(() => Task.FromResult(nanhai.VideoFrames > 0), "the browser's first decoded frame", Both);
        output?.WriteLine($"offer posted to first decoded frame at the browser venue: {joinClock.ElapsedMilliseconds} ms");
        await Waiting.UntilAsync(() => Task.FromResult(nanhai.VideoFrames >= 30 && nanhai.AudioFrames >= 100 && nanhai.Tone(500) > 10 * nanhai.Tone(800)),
            "the softphone's picture and tone at the browser", Both);
        output?.WriteLine($"browser venue status: {nanhai.Status?.ToJsonString()}");
        Assert.Equal("[320,240]", nanhai.Status!["size"]!.ToJsonString());
        Assert.True(nanhai.Tone(500) > 10 * nanhai.Tone(1100), $"the browser hears the softphone, not itself: {nanhai.Status?.ToJsonString()}");

        await Waiting.UntilAsync(() => Task.FromResult(chancheng.Output.Contains("video: receiving with resolution 320 x 240", StringComparison.Ordinal)),
            "the browser's picture decoded by the softphone", Both);
        await Waiting.UntilAsync(async () => await NodeApi.LegStateAsync(node, id, "fs-nanhai") == "connected", "the browser leg reported connected", Both);

        using var leave = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.OK, leave.StatusCode);
        await Waiting.UntilAsync(async () => await NodeApi.LegStateAsync(node, id, "fs-nanhai") is "ended" or null, "the browser leg ended", Both);
        using var again = await node.Http.DeleteAsync(location, cancel);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Offers_the_bridge_cannot_use_are_refused_with_problem_details_and_change_nothing()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var started = await BridgeNode.StartAsync(Work);
        var node = started.Node;
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "演练", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var path = $"/api/sessions/{id}/venues/fs-nanhai/webrtc";
        const string plainRtp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        const string noFingerprint = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n" +
            "a=mid:0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";

        await AssertProblemAsync(await NodeApi.PostOfferAsync(node, path, "not sdp at all"), HttpStatusCode.BadRequest, "not valid SDP");
        await AssertProblemAsync(await NodeApi.PostOfferAsync(node, path, plainRtp), HttpStatusCode.BadRequest, "SAVPF");
        await AssertProblemAsync(await NodeApi.PostOfferAsync(node, path, noFingerprint), HttpStatusCode.BadRequest, "fingerprint");
        await AssertProblemAsync(await NodeApi.PostOfferAsync(node, $"/api/sessions/{id}/venues/fs-sanshui/webrtc", noFingerprint), HttpStatusCode.NotFound, "not in session");
        await AssertProblemAsync(await NodeApi.PostOfferAsync(node, "/api/sessions/no-such-session/venues/fs-nanhai/webrtc", noFingerprint), HttpStatusCode.NotFound, "");
        using var text = new StringContent(noFingerprint, Encoding.UTF8, "text/plain");
        await AssertProblemAsync(await node.Http.PostAsync(path, text, cancel), HttpStatusCode.UnsupportedMediaType, "application/sdp");
        using var huge = new StringContent(new string('a', 70_000), Encoding.UTF8);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        await AssertProblemAsync(await node.Http.PostAsync(path, huge, cancel), HttpStatusCode.RequestEntityTooLarge, "larger");

        var session = await node.Http.GetJsonAsync($"/api/sessions/{id}");
        Assert.All(session["venues"]!.AsArray(), v => Assert.NotEqual("connected", (string?)v!["media"]?["state"]));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(detail, (string?)JsonNode.Parse(body)!["detail"] ?? "", StringComparison.OrdinalIgnoreCase);
        }
    }
}
