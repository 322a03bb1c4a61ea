using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Infrastructure;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Sip;

/// <summary>
/// The whole node with two real softphones (baresip, VP8 test picture and a tone each) and a scripted
/// venue terminal in one emergency session: everyone is called, sees the broadcast venue and hears
/// the others; after a broadcast switch the scripted venue's stream goes on under one SSRC with
/// unbroken sequence numbers and restarts on a keyframe of the new source.
/// </summary>
public sealed class BaresipMediaTests() : WorkFolderTest("command-media-")
{
    [Fact]
    public async Task Softphones_are_called_into_a_session_see_and_hear_it_and_follow_a_broadcast_switch()
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(Work);
        var (node, sipPort) = (started.Node, started.SipPort);

        using var chancheng = Baresip.StartVenue(sipPort, "2101", toneHz: 500);
        using var nanhai = Baresip.StartVenue(sipPort, "2102", toneHz: 1100);
        await using var sanshui = new ScriptedPhone("2104", "fs-2104-Sample!", 4, new IPEndPoint(IPAddress.Loopback, sipPort));
        Assert.Equal(200, (await sanshui.RegisterAsync()).StatusCode);
        string Phones() => $"{chancheng.Output}\n---\n{nanhai.Output}";
        await NodeApi.VenuesOnlineAsync(node, Phones, "fs-chancheng", "fs-nanhai", "fs-sanshui");

        var join = Stopwatch.StartNew();
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "三防会商", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-nanhai", "fs-sanshui" }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await Waiting.UntilAsync(async () => (await LegsAsync(node, id)).All(l => l.State == "connected"), "three connected legs", Phones);
        await Waiting.UntilAsync(() => Task.FromResult(sanshui.Video.Count >= 30), "the broadcast picture at the scripted venue", Phones);
        output?.WriteLine($"session created to 30 video packets at the scripted venue: {join.ElapsedMilliseconds} ms");

        var heard = ToneMeter.Heard(sanshui, 25, 500, 800, 1100);
        Assert.True(heard[500] > 20 * heard[800] && heard[1100] > 20 * heard[800], $"the scripted venue hears both softphones: {string.Join(", ", heard)}");

        var before = sanshui.Video.Count;
        var switchedAtClock = DateTime.UtcNow;
        await node.Http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai" });
        await Waiting.UntilAsync(() => Task.FromResult(SwitchPoint(sanshui.Video.Select(r => r.Packet).ToList(), before) is { } at && sanshui.Video.Count > at + 30), "the new source at the scripted venue", Phones);

        var packets = sanshui.Video.Select(r => r.Packet).ToList();
        var switchedAt = SwitchPoint(packets, before)!.Value;
        var keyframeAfter = sanshui.Video.ElementAt(switchedAt).At - switchedAtClock;
        output?.WriteLine($"broadcast switch: the new source's keyframe reached the scripted venue {keyframeAfter.TotalMilliseconds:F0} ms after the API call was made");
        Assert.Single(packets.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8))).Distinct());
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(BinaryPrimitives.ReadUInt16BigEndian(packets[i - 1].AsSpan(2)) + 1), BinaryPrimitives.ReadUInt16BigEndian(packets[i].AsSpan(2)));
        }

        Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, packets[switchedAt].AsSpan(12)), "the new source starts with a keyframe");
        Assert.True((packets[switchedAt - 1][1] & 0x80) != 0, "the old source's last frame was whole");

        await Waiting.UntilAsync(async () => (await LegsAsync(node, id)).Where(l => l.Venue != "fs-sanshui").All(l => l.PacketsIn > 100 && l.RemoteLost is not null), "leg statistics with the softphones' receiver reports", Phones);
        var legs = await LegsAsync(node, id);
        Assert.All(legs.Where(l => l.Venue != "fs-sanshui"), l =>
        {
            Assert.True(l.PacketsIn > 100 && l.PacketsOut > 100, $"{l.Venue} carries media both ways: {l}");
            Assert.Equal(0, l.RemoteLost ?? -1);
        });
        // Each softphone says so once its decoder shows the first picture, which a busy machine may delay.
        await Waiting.UntilAsync(
            () => Task.FromResult(new[] { chancheng, nanhai }.All(p => p.Output.Contains("video: receiving with resolution", StringComparison.Ordinal))),
            "both softphones decoding the picture", Phones);
    }

    /// <summary>
    /// Where the scripted venue's stream changed source: the first packet after <paramref name="from"/>
    /// whose VP8 picture id (RFC 7741 §4.2, which baresip always sends) does not follow the one before.
    /// </summary>
    private static int? SwitchPoint(List<byte[]> packets, int from)
    {
        for (var i = Math.Max(1, from); i < packets.Count; i++)
        {
            var (previous, current) = (PictureId(packets[i - 1]), PictureId(packets[i]));
            Assert.True(previous is not null && current is not null, "baresip's VP8 carries a 15-bit picture id");
            if (current != previous && current != ((previous + 1) & 0x7FFF))
            {
                return i;
            }
        }

        return null;
    }

    private static int? PictureId(byte[] packet)
    {
        var p = packet.AsSpan(12);
        return p.Length >= 4 && (p[0] & 0x80) != 0 && (p[1] & 0x80) != 0 && (p[2] & 0x80) != 0 ? ((p[2] & 0x7F) << 8) | p[3] : null;
    }

    private static async Task<List<Leg>> LegsAsync(SiloProcess node, string sessionId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        return [.. session["venues"]!.AsArray().Select(v => v!["media"] is JsonObject m
            ? new Leg((string)v["venueId"]!, (string?)m["state"], (long)m["packetsIn"]!, (long)m["packetsOut"]!, (long?)m["remotePacketsLost"])
            : new Leg((string)v!["venueId"]!, null, 0, 0, null))];
    }

    private sealed record Leg(string Venue, string? State, long PacketsIn, long PacketsOut, long? RemoteLost);
}
