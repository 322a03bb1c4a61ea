using System.Text.Json;
using Interop.Tests.Chaos;
using Microsoft.Playwright;

namespace Interop.Tests.Infrastructure;

/// <summary>What a peer connection in a Chromium page decodes of the video it receives, from its getStats().</summary>
public sealed record InboundVideo(int Frames, int Width, int Height, string Codec, string State)
{
    /// <summary>Reads the stats of the peer connection that <paramref name="peerConnection"/> (a script expression) names in the page; zeros while it has none.</summary>
    public static async Task<InboundVideo> ReadAsync(IPage page, string peerConnection)
    {
        var json = await page.EvaluateAsync<string>($$"""
            async () => {
              const pc = {{peerConnection}};
              const out = { frames: 0, width: 0, height: 0, codec: '', state: pc?.connectionState ?? '' };
              if (!pc) return JSON.stringify(out);
              const stats = await pc.getStats();
              stats.forEach((r) => {
                if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
                out.frames = r.framesDecoded ?? 0; out.width = r.frameWidth ?? 0; out.height = r.frameHeight ?? 0;
                out.codec = (r.codecId ? stats.get(r.codecId)?.mimeType : '') ?? '';
              });
              return JSON.stringify(out);
            }
            """);
        var s = JsonDocument.Parse(json).RootElement;
        return new InboundVideo(s.GetProperty("frames").GetInt32(), s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32(),
            s.GetProperty("codec").GetString() ?? "", s.GetProperty("state").GetString() ?? "");
    }

    /// <summary>Waits until the page's video meets <paramref name="condition"/> and returns the stats that did; a failure shows the last ones.</summary>
    public static async Task<InboundVideo> UntilAsync(IPage page, string peerConnection, Func<InboundVideo, bool> condition, string what, Func<string>? diagnostics = null)
    {
        InboundVideo? last = null;
        await Waiting.UntilAsync(async () => condition(last = await ReadAsync(page, peerConnection)), what, () => $"last stats {last}\n{diagnostics?.Invoke()}");
        return last!;
    }
}
