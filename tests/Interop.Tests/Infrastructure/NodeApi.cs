using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;

namespace Interop.Tests.Infrastructure;

/// <summary>What the media tests ask of a whole node through its public API.</summary>
public static partial class NodeApi
{
    /// <summary>Posts an SDP offer as a browser does (<c>application/sdp</c>) to a venue's WebRTC or a WHEP path.</summary>
    public static async Task<HttpResponseMessage> PostOfferAsync(SiloProcess node, string path, string sdp)
    {
        using var content = new StringContent(sdp, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        return await node.Http.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    /// <summary>The media state of a venue's leg in a session, null while it has none.</summary>
    public static async Task<string?> LegStateAsync(SiloProcess node, string sessionId, string venueId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        return (string?)session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!["media"]?["state"];
    }

    /// <summary>How many watches the node's bridge holds, as its health check says.</summary>
    public static async Task<int> WatchingAsync(SiloProcess node)
    {
        var health = await node.Http.GetJsonAsync("/health");
        var match = WatchingPattern().Match((string)health["checks"]!["bridge"]!["description"]!);
        Assert.True(match.Success, $"the bridge's health says how many watch: {health}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until each of <paramref name="venueIds"/> shows online, as its terminal registered.</summary>
    public static async Task VenuesOnlineAsync(SiloProcess node, Func<string> diagnostics, params string[] venueIds)
    {
        foreach (var venue in venueIds)
        {
            await Waiting.UntilAsync(async () => (string?)(await node.Http.GetJsonAsync($"/api/venues/{venue}"))["status"] == "online", $"{venue} online", diagnostics);
        }
    }

    [GeneratedRegex(@"(\d+) watching")]
    private static partial Regex WatchingPattern();
}
