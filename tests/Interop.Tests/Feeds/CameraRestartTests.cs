using System.Diagnostics;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Feeds;

/// <summary>
/// A camera server killed (SIGKILL, as a camera losing power) and started again on the same port:
/// the feed reads offline on the API, then online by itself, and the venue's picture comes back,
/// with no call to the API but reads.
/// </summary>
public sealed class CameraRestartTests() : WorkFolderTest("command-camrestart-")
{
    [Fact]
    public async Task A_camera_server_killed_and_restarted_goes_offline_then_online_and_its_picture_returns()
    {
        using var camera = await Camera.GstreamerAsync(size: "352x288");
        await using var node = await BridgeNode.StartAsync(Work, FeedApi.QuickReports);
        var feedId = await FeedApi.RegisterAsync(node.Node, camera.Url);
        var session = await FeedApi.SessionWithAsync(node.Node, feedId);
        await FeedApi.BroadcastAsync(node.Node, session, feedId);
        using var venue = await FeedApi.JoinAiortcAsync(node.Node, session, TimeSpan.FromSeconds(90));
        string Diagnostics() => $"aiortc: {venue.Status?.ToJsonString()}\n{venue.Errors}\ncamera:\n{camera.Output}\nnode:\n{node.Node.Output}";
        await Waiting.UntilAsync(() => venue.VideoSize == "352x288" && venue.VideoFrames >= 15, "the camera's picture at the venue", Diagnostics);
        await Waiting.UntilAsync(async () => await FeedApi.StatusAsync(node.Node, feedId) == "online", "the feed online", Diagnostics);

        camera.Kill();
        var down = Stopwatch.StartNew();
        var offline = await Waiting.UntilAsync(async () => await FeedApi.StatusAsync(node.Node, feedId) == "offline", "the feed offline after the kill", Diagnostics, 20, down);
        var framesWhileDown = venue.VideoFrames;

        await camera.RestartAsync();
        var up = Stopwatch.StartNew();
        var online = await Waiting.UntilAsync(async () => await FeedApi.StatusAsync(node.Node, feedId) == "online", "the feed online again by itself", Diagnostics, 40, up);
        var picture = await Waiting.UntilAsync(() => venue.VideoFrames >= framesWhileDown + 30, "the picture back at the venue", Diagnostics, 40, up);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"offline {offline.TotalSeconds:0.0} s after the kill; online {online.TotalSeconds:0.0} s and 30 new frames decoded {picture.TotalSeconds:0.0} s after the restart");
        Assert.Equal("352x288", venue.VideoSize);
        Assert.Equal(1, venue.Joins);
    }
}
