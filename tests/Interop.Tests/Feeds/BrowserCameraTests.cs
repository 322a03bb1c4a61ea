using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Feeds;

/// <summary>
/// Debian's Chromium opens the venue page as 南海 in a live session whose chair broadcast a camera:
/// the browser negotiates H.264 and decodes the camera's own picture size.
/// </summary>
public sealed class BrowserCameraTests() : ChromiumTest("command-browsercam-", fakeMedia: true)
{
    [Fact]
    public async Task Chromium_on_the_venue_page_decodes_a_camera_the_chair_broadcast()
    {
        using var camera = await Camera.GstreamerAsync(size: "352x288");
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url);
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        await FeedApi.BroadcastAsync(node.Node, session, feedId);

        var page = await OperatorPages.OpenVenueAsync(Browser, node.Node, "fs-nanhai", session);
        await OperatorPages.JoinAsync(page);

        var last = await InboundVideo.UntilAsync(page, "window.commandVenue?.pc", v => v is { Frames: > 30, Width: 352, Height: 288 },
            "the camera's 352x288 picture decoded in Chromium", () => $"camera:\n{camera.Output}\nnode:\n{node.Node.Output}");
        TestContext.Current.TestOutputHelper?.WriteLine($"Chromium: {last}");
        Assert.Equal("video/H264", last.Codec, ignoreCase: true);
    }
}
