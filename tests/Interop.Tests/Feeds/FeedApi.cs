using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Infrastructure;
using Interop.Tests.WebRtc;

namespace Interop.Tests.Feeds;

/// <summary>What an operator does with a camera through the public API, and the waits on what it shows.</summary>
public static class FeedApi
{
    /// <summary>Node settings that report a camera's status twice a second and drop it after 1.5 s of silence.</summary>
    public static readonly string[] QuickReports = ["--Command:Bridge:FeedReportSeconds=0.5", "--Command:Bridge:FeedSilenceSeconds=1.5", "--Command:Bridge:FeedLetGoSeconds=2"];

    /// <summary>Registers a camera with <c>POST /api/feeds</c> and returns its id.</summary>
    public static async Task<string> RegisterAsync(SiloProcess node, string url, string? username = null, string? password = null)
    {
        var feed = await node.Http.PostJsonAsync("/api/feeds",
            new { name = $"堤段摄像机 {Guid.NewGuid():N}"[..16], url, owner = "三防办", regionCode = "440604", username, password }, HttpStatusCode.Created);
        Assert.Equal(username is not null || password is not null, (bool)feed["hasCredentials"]!);
        return (string)feed["id"]!;
    }

    /// <summary>A live emergency session chaired by 禅城 with 南海 and 顺德 in it, the feed attached (not yet routed).</summary>
    public static async Task<string> SessionWithAsync(SiloProcess node, string feedId)
    {
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "堤防视频会商", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai", "fs-shunde" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await AttachAsync(node, id, feedId);
        return id;
    }

    public static Task<JsonNode> AttachAsync(SiloProcess node, string sessionId, string feedId) =>
        node.Http.PostJsonAsync($"/api/sessions/{sessionId}/feeds", new { feedId });

    public static Task<JsonNode> BroadcastAsync(SiloProcess node, string sessionId, string feedId) =>
        node.Http.PostJsonAsync($"/api/sessions/{sessionId}/broadcast", new { feedId });

    public static async Task<string?> StatusAsync(SiloProcess node, string feedId) =>
        (string?)(await node.Http.GetJsonAsync($"/api/feeds/{feedId}"))["status"];

    /// <summary>An aiortc venue joined to the session as 南海 over WebRTC (H.264, since the session has a camera).</summary>
    public static async Task<AiortcVenue> JoinAiortcAsync(SiloProcess node, string sessionId, TimeSpan limit)
    {
        var venue = AiortcVenue.Start(toneHz: 900, listenHz: [900], limit);
        try
        {
            var offer = await venue.OfferAsync(TestContext.Current.CancellationToken);
            using var joined = await NodeApi.PostOfferAsync(node, $"/api/sessions/{sessionId}/venues/fs-nanhai/webrtc", offer);
            var answer = await joined.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(joined.StatusCode == HttpStatusCode.Created, $"{joined.StatusCode}: {answer}");
            Assert.Contains("H264", answer, StringComparison.OrdinalIgnoreCase);
            await venue.AnswerAsync(answer);
            return venue;
        }
        catch
        {
            venue.Dispose();
            throw;
        }
    }
}
