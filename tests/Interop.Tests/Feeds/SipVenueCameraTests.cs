using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Feeds;

/// <summary>
/// A SIP venue terminal (baresip with Debian's libavcodec module) in a live session receives a
/// camera the chair broadcast: its call goes H.264, it decodes the camera's picture size, and the
/// bridge's report of its leg shows video flowing out to it.
/// </summary>
public sealed class SipVenueCameraTests() : WorkFolderTest("command-sipcam-")
{
    [Fact]
    public async Task A_baresip_venue_decodes_a_broadcast_camera()
    {
        using var camera = await Camera.GstreamerAsync(size: "352x288", kbps: 600);
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        using var chancheng = Baresip.StartVenue(node.SipPort, "2101", toneHz: 500, h264: true);
        string Diagnostics() => $"baresip:\n{chancheng.Output}\ncamera:\n{camera.Output}\nnode:\n{node.Node.Output}";
        await Waiting.UntilAsync(async () => (string?)(await node.Node.Http.GetJsonAsync("/api/venues/fs-chancheng"))["status"] == "online", "禅城 registered", Diagnostics);

        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url);
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        await Waiting.UntilAsync(async () => (await LegAsync(node.Node, session))?["state"]?.ToString() == "connected", "禅城 called in", Diagnostics);
        Assert.DoesNotContain("receiving with resolution 352 x 288", chancheng.Output, StringComparison.Ordinal);

        await FeedApi.BroadcastAsync(node.Node, session, feedId);
        await Waiting.UntilAsync(() => chancheng.Output.Contains("video: receiving with resolution 352 x 288", StringComparison.Ordinal), "the camera's picture decoded by baresip", Diagnostics);
        await Waiting.UntilAsync(async () => await LegAsync(node.Node, session) is { } leg && (string?)leg["videoCodec"] == "H264" && (double)leg["kbpsOut"]! > 200,
            "the leg's report showing H.264 video going out to 禅城", Diagnostics);
        var media = await LegAsync(node.Node, session);
        TestContext.Current.TestOutputHelper?.WriteLine($"禅城's leg: {media?.ToJsonString()}");
        Assert.True((long)media!["packetsOut"]! > 100, media.ToJsonString());
        Assert.Contains("H264", chancheng.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode?> LegAsync(SiloProcess node, string session) =>
        (await node.Http.GetJsonAsync($"/api/sessions/{session}"))["venues"]!.AsArray()
            .Single(v => (string?)v!["venueId"] == "fs-chancheng")!["media"];
}
