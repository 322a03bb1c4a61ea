using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Feeds;

/// <summary>
/// Two independent RTSP servers as cameras, registered and routed through the API of a whole node:
/// GStreamer's behind digest auth (pulled over TCP) and VLC's (pulled over UDP). Each is attached to
/// a live session and broadcast, and a WebRTC venue (aiortc) decodes the camera's own picture size.
/// </summary>
public sealed class RtspCameraTests() : WorkFolderTest("command-cameras-")
{
    [Fact]
    public async Task A_gstreamer_camera_behind_digest_auth_is_broadcast_to_a_webrtc_venue()
    {
        using var camera = await Camera.GstreamerAsync(size: "352x288", credentials: "dyke-cam:Lubao#2026");
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url, "dyke-cam", "Lubao#2026");
        await AssertBroadcastReachesVenueAsync(node, camera, feedId, "352x288");
    }

    [Fact]
    public async Task A_gstreamer_camera_with_a_wrong_password_stays_off_the_air()
    {
        using var camera = await Camera.GstreamerAsync(credentials: "dyke-cam:Lubao#2026");
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url, "dyke-cam", "guessed");
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        await FeedApi.BroadcastAsync(node.Node, session, feedId);
        using var venue = await FeedApi.JoinAiortcAsync(node.Node, session, TimeSpan.FromSeconds(40));
        await Waiting.UntilAsync(() => (string?)venue.Status?["state"] == "connected", "the venue connected", () => venue.Errors);

        // The feed is being pulled and refused: it never turns online and the venue decodes nothing from it.
        await Waiting.UntilAsync(async () => await FeedApi.StatusAsync(node.Node, feedId) is "connecting" or "offline", "the feed reported", () => node.Node.Output);
        for (var i = 0; i < 10; i++)
        {
            Assert.NotEqual("online", await FeedApi.StatusAsync(node.Node, feedId));
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, venue.VideoFrames);
    }

    [Fact]
    public async Task A_vlc_camera_pulled_over_udp_is_broadcast_to_a_webrtc_venue()
    {
        using var camera = await Camera.VlcAsync(size: "384x216");
        // VLC answers a TCP-interleaved SETUP with 461, so the picture arriving proves the UDP pull.
        Assert.EndsWith("?transport=udp", camera.Url, StringComparison.Ordinal);
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url);
        await AssertBroadcastReachesVenueAsync(node, camera, feedId, "384x216");
    }

    private static async Task AssertBroadcastReachesVenueAsync(BridgeNode node, Camera camera, string feedId, string size)
    {
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        var broadcast = await FeedApi.BroadcastAsync(node.Node, session, feedId);
        Assert.Equal(feedId, (string?)broadcast["broadcastFeedId"]);
        using var venue = await FeedApi.JoinAiortcAsync(node.Node, session, TimeSpan.FromSeconds(60));
        string Diagnostics() => $"aiortc: {venue.Status?.ToJsonString()}\n{venue.Errors}\ncamera:\n{camera.Output}\nnode:\n{node.Node.Output}";

        await Waiting.UntilAsync(async () => await FeedApi.StatusAsync(node.Node, feedId) == "online", "the feed online", Diagnostics);
        await Waiting.UntilAsync(() => venue.VideoSize == size && venue.VideoFrames >= 30, $"the camera's {size} picture decoded at the venue", Diagnostics);
        var feed = await node.Node.Http.GetJsonAsync($"/api/feeds/{feedId}");
        Assert.StartsWith("H264", (string?)feed["codec"], StringComparison.Ordinal);
        Assert.Equal(size, $"{(int)feed["width"]!}x{(int)feed["height"]!}");
        TestContext.Current.TestOutputHelper?.WriteLine($"feed: {feed.ToJsonString()}; venue: {venue.Status?.ToJsonString()}");
    }
}
