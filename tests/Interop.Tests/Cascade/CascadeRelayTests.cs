using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Cascade;

/// <summary>
/// A provincial meeting relayed down to a city deployment (级联转播) and the city's view sent up, between two
/// nodes with their own stores, with real softphones: the province's venue 2101 (baresip, 500 Hz) chairs
/// and broadcasts; the city's venue 2102 (baresip, 1100 Hz) and a scripted judge terminal at each level
/// take part. The city is called on its uplink, relays the province to its venues, sends its own broadcast
/// up, and after the city node is killed and started again the link comes back with no API call; then the
/// province's chair roll-calls a city venue through the link and its picture comes up.
/// </summary>
public sealed class CascadeRelayTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Leg, registration and uplink events in the nodes' output, which a failure shows.</summary>
    private static readonly string[] Diagnostics =
    [
        "--Logging:LogLevel:MediaBridge.Control=Debug", "--Logging:LogLevel:MediaBridge.Legs=Information", "--Logging:LogLevel:Command.Grains.Cascade=Information",
    ];
    private readonly DirectoryInfo provinceWork = Directory.CreateTempSubdirectory("command-province-");
    private readonly DirectoryInfo cityWork = Directory.CreateTempSubdirectory("command-city-");
    private readonly int provinceSipPort = Ports.Free();
    private readonly int citySipPort = Ports.Free();
    private readonly List<Baresip> phones = [];
    private BridgeNode? province;
    private BridgeNode? city;
    private Func<Task<string>> situation = () => Task.FromResult("");

    [Fact]
    public async Task The_city_relays_the_provincial_broadcast_to_its_venues_sends_its_own_up_and_relinks_after_a_restart()
    {
        var output = TestContext.Current.TestOutputHelper;
        province = await CascadeNodes.StartUpperAsync(provinceWork, provinceSipPort, ["--Command:Bridge:KeepAliveSeconds=2", .. Diagnostics]);
        city = await StartCityAsync();
        var uplinkId = await UntilAsync("the uplink registered", async () =>
            (await UplinksAsync()).FirstOrDefault(u => (string?)u!["status"] == "registered") is { } u ? (string?)u["id"] : null);

        var chair = Start($"<sip:2101@127.0.0.1:{provinceSipPort}>;auth_pass=fs-2101-Sample!;regint=600", 500);
        var cityVenue = Start($"<sip:2102@127.0.0.1:{citySipPort}>;auth_pass=fs-2102-Sample!;regint=600", 1100);
        await using var provinceJudge = new ScriptedPhone("2104", "fs-2104-Sample!", 4, new IPEndPoint(IPAddress.Loopback, provinceSipPort), toneHz: 700);
        await using var cityJudge = new ScriptedPhone("2104", "fs-2104-Sample!", 5, new IPEndPoint(IPAddress.Loopback, citySipPort));
        await using var provinceSecond = new ScriptedPhone("2103", "fs-2103-Sample!", 7, new IPEndPoint(IPAddress.Loopback, provinceSipPort));
        await using var provinceObserver = new ScriptedPhone("2105", "fs-2105-Sample!", 9, new IPEndPoint(IPAddress.Loopback, provinceSipPort));
        Assert.Equal(200, (await provinceJudge.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await provinceSecond.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await provinceObserver.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await cityJudge.RegisterAsync()).StatusCode);
        await UntilAsync("the province's venues online", async () => await StatusAsync(province, "fs-chancheng") == "online" && await StatusAsync(province, CascadeNodes.Sha256Venue) == "online");
        await UntilAsync("the city's venue online", async () => await StatusAsync(city, "fs-nanhai") == "online");

        var meeting = await province.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "全省防汛视频会议", kind = "meeting", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-sanshui", "fs-shunde", "fs-gaoming" }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var meetingId = (string)meeting["id"]!;
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/start", new { });
        await UntilAsync("the provincial picture at the province's judge", () => Task.FromResult(provinceJudge.Video.Count >= 30 && provinceObserver.Video.Count >= 30));

        // The city joins once the meeting's picture is fixed (VP8, the softphones'), so the call down offers it alone.
        var clock = Stopwatch.StartNew();
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/venues", new { venueId = CascadeNodes.Sha256Venue });

        var relayId = await UntilAsync("the uplink in call with its relay session", async () =>
            (await UplinkAsync(uplinkId)) is { } u && (string?)u["status"] == "in-call" ? (string?)u["sessionId"] : null);
        output?.WriteLine($"city added to the province meeting to the city's uplink in call: {clock.ElapsedMilliseconds} ms");
        situation = async () =>
            $"city judge: {cityJudge.Audio.Count} audio, {cityJudge.Video.Count} video packets, {ToneMeter.Show(ToneMeter.Heard(cityJudge, 25, 500, 800, 1100))}\n" +
            $"province judge: {provinceJudge.Audio.Count} audio, {provinceJudge.Video.Count} video packets\n" +
            $"uplinks: {(await UplinksAsync()).ToJsonString()}\ncascade venue above: {(await province!.Node.Http.GetJsonAsync($"/api/venues/{CascadeNodes.Sha256Venue}")).ToJsonString()}\n" +
            $"relay: {(await city!.Node.Http.GetJsonAsync($"/api/sessions/{relayId}")).ToJsonString()}\nmeeting: {(await province!.Node.Http.GetJsonAsync($"/api/sessions/{meetingId}")).ToJsonString()}";
        var relay = await city.Node.Http.GetJsonAsync($"/api/sessions/{relayId}");
        Assert.Equal(("relay", "live", uplinkId), ((string?)relay["kind"], (string?)relay["state"], (string?)relay["broadcastUplinkId"]));

        await UntilAsync("the provincial picture and sound at the city's judge", () => Task.FromResult(Hears(cityJudge, 500) && cityJudge.Video.Count >= 30));
        output?.WriteLine($"city added to the province meeting to 30 video packets at the city's judge: {clock.ElapsedMilliseconds} ms");
        AssertDecodable(cityJudge);
        await UntilAsync("the city's softphone decoding the provincial picture", () => Task.FromResult(cityVenue.Output.Contains("video: receiving with resolution", StringComparison.Ordinal)));
        Assert.DoesNotContain("video: receiving with resolution", chair.Output, StringComparison.Ordinal);

        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/view", new { venueId = "fs-chancheng", targetVenueId = CascadeNodes.Sha256Venue });
        await city.Node.Http.PostJsonAsync($"/api/sessions/{relayId}/broadcast", new { venueId = "fs-nanhai" });
        await UntilAsync("the city's sound at the province's judge", () => Task.FromResult(Hears(provinceJudge, 1100)));
        await UntilAsync("the city's broadcast decoded by the province's chair", () => Task.FromResult(chair.Output.Contains("video: receiving with resolution", StringComparison.Ordinal)));
        await city.Node.Http.PostJsonAsync($"/api/sessions/{relayId}/broadcast", new { uplinkId });

        // The softphones stop after a minute; from here the province's judge is the picture and sound relayed.
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/broadcast", new { venueId = "fs-sanshui" });
        city.Node.KillHard();
        await city.DisposeAsync();
        var down = Stopwatch.StartNew();
        city = await StartCityAsync();
        var restarted = down.Elapsed;
        // The judge's sockets died with the node it talked to (ICMP unreachable); a second city terminal watches instead.
        await using var cityWatcher = new ScriptedPhone("2105", "fs-2105-Sample!", 6, new IPEndPoint(IPAddress.Loopback, citySipPort));
        Assert.Equal(200, (await cityWatcher.RegisterAsync()).StatusCode);
        var earlier = situation;
        situation = async () =>
            $"city watcher: {cityWatcher.Audio.Count} audio, {cityWatcher.Video.Count} video packets, in call {cityWatcher.InCall}, {ToneMeter.Show(ToneMeter.Heard(cityWatcher, 25, 500, 700, 800, 1100))}\n" + await earlier();
        await UntilAsync("the uplink in call again with the same relay session", async () =>
            (await UplinkAsync(uplinkId)) is { } u && (string?)u["status"] == "in-call" ? (string?)u["sessionId"] : null);
        Assert.Equal(relayId, (string?)(await UplinkAsync(uplinkId))!["sessionId"]);
        await UntilAsync("the provincial picture and sound at a city terminal again", () => Task.FromResult(cityWatcher.Video.Count >= 30 && Hears(cityWatcher, 700)));
        output?.WriteLine($"city node killed; healthy again after {restarted.TotalSeconds:0.0} s, provincial picture and sound at a city terminal {down.Elapsed.TotalSeconds:0.0} s after the kill");
        AssertDecodable(cityWatcher);
        Assert.True(down.Elapsed - restarted < TimeSpan.FromSeconds(20), $"the cascade came back {(down.Elapsed - restarted).TotalSeconds:0.0} s after the city was healthy, later than one registration refresh would take");

        // Broadcast switches above: when the new source's first packet reaches a provincial venue and a city venue, one hop further.
        var switches = new List<(double Province, double City)>();
        for (var i = 0; i < 10; i++)
        {
            var (venue, tag) = i % 2 == 0 ? ("fs-shunde", provinceSecond.Tag) : ("fs-sanshui", provinceJudge.Tag);
            var (observed, watched) = (provinceObserver.Video.Count, cityWatcher.Video.Count);
            var at = DateTime.UtcNow;
            await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/broadcast", new { venueId = venue });
            await UntilAsync($"switch {i} to {venue} at a provincial and a city venue", () =>
                Task.FromResult(FirstFrom(provinceObserver, observed, tag) is not null && FirstFrom(cityWatcher, watched, tag) is not null));
            switches.Add(((FirstFrom(provinceObserver, observed, tag)!.Value - at).TotalMilliseconds, (FirstFrom(cityWatcher, watched, tag)!.Value - at).TotalMilliseconds));
        }

        var hop = switches.Select(s => s.City - s.Province).Order().ToList();
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"switch to first packet, province venue (no hop): median {Median(switches.Select(s => s.Province))} ms, max {switches.Max(s => s.Province):0.0} ms; " +
            $"city venue (one hop): median {Median(switches.Select(s => s.City))} ms, max {switches.Max(s => s.City):0.0} ms; " +
            $"added by the hop: median {Median(hop, "0.000")} ms, max {hop[^1]:0.000} ms, min {hop[0]:0.000} ms ({switches.Count} switches)"));

        // Cascaded roll call (级联点名): the province shows the city and asks it, over the link, to send up its 高明 (the watcher).
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/broadcast", new { venueId = CascadeNodes.Sha256Venue });
        var shown = provinceObserver.Video.Count;
        var asked = DateTime.UtcNow;
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/cascade/rollcall", new { venueId = CascadeNodes.Sha256Venue, remoteVenueId = "fs-gaoming" });
        await UntilAsync("the city's 高明 at a provincial venue after the roll call", () => Task.FromResult(FirstFrom(provinceObserver, shown, cityWatcher.Tag) is not null));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cascaded roll call to the first packet of the called city venue at a provincial venue: {(FirstFrom(provinceObserver, shown, cityWatcher.Tag)!.Value - asked).TotalMilliseconds:0.0} ms"));
        Assert.Equal("fs-gaoming", (string?)(await city.Node.Http.GetJsonAsync($"/api/sessions/{relayId}"))["uplinkVenueId"]);
        Assert.DoesNotContain(CascadeNodes.Sha256Password, city.Node.Output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        phones.ForEach(p => p.Dispose());
        await CascadeNodes.StopAsync([city, province], provinceWork, cityWork);
    }

    /// <summary>
    /// The city, relaying to its chair (佛山 main venue), 南海, 三水 and 高明, on a fixed SIP port, so its terminals' bindings hold
    /// across a restart. Restarted, it registers up under a new Call-ID, which tells the province that the old call is dead.
    /// </summary>
    private Task<BridgeNode> StartCityAsync() => CascadeNodes.StartLowerAsync(cityWork, provinceSipPort,
    [
        $"--Command:Bridge:SipPort={citySipPort.ToString(CultureInfo.InvariantCulture)}",
        "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main",
        "--Command:Cascade:Uplinks:0:VenueIds:1=fs-nanhai",
        "--Command:Cascade:Uplinks:0:VenueIds:2=fs-sanshui",
        "--Command:Cascade:Uplinks:0:VenueIds:3=fs-gaoming",
        .. Diagnostics,
    ]);

    private Baresip Start(string account, int toneHz)
    {
        var phone = Baresip.Start(account, toneHz);
        phones.Add(phone);
        return phone;
    }

    private static bool Hears(ScriptedPhone phone, int hz)
    {
        if (phone.Audio.Count < 30)
        {
            return false;
        }

        var heard = ToneMeter.Heard(phone, 25, hz, 800);
        return heard[hz] > 20 * heard[800];
    }

    /// <summary>The relayed picture is RTP of one VP8 payload type that starts on a keyframe.</summary>
    private static void AssertDecodable(ScriptedPhone phone)
    {
        var packets = phone.Video.Select(r => r.Packet).ToList();
        Assert.All(packets, p => Assert.Equal(2, p[0] >> 6));
        Assert.Single(packets.Select(p => p[1] & 0x7F).Distinct());
        Assert.True(Keyframes.IsKeyframeStart(VideoCodec.Vp8, packets[0].AsSpan(12)), "the relayed picture starts on a keyframe");
    }

    /// <summary>When the first packet of the scripted phone tagged <paramref name="tag"/> arrived after the first <paramref name="skip"/>.</summary>
    private static DateTime? FirstFrom(ScriptedPhone phone, int skip, byte tag) =>
        phone.Video.Skip(skip).FirstOrDefault(r => r.Packet.Length > 14 && ((r.Packet[12] == 0x10 && r.Packet[14] == tag) || (r.Packet[12] == 0x00 && r.Packet[13] == tag)))?.At;

    private static string Median(IEnumerable<double> values, string format = "0.0")
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture);
    }

    private async Task<JsonArray> UplinksAsync() => (await city!.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray();

    private async Task<JsonNode?> UplinkAsync(string id)
    {
        try
        {
            return await city!.Node.Http.GetJsonAsync($"/api/cascade/uplinks/{id}");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string?> StatusAsync(BridgeNode node, string venueId) => (string?)(await node.Node.Http.GetJsonAsync($"/api/venues/{venueId}"))["status"];

    private async Task UntilAsync(string what, Func<Task<bool>> condition) =>
        await UntilAsync<string>(what, async () => await condition() ? "yes" : null);

    private async Task<T> UntilAsync<T>(string what, Func<Task<T?>> condition)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > Patience)
            {
                Assert.Fail($"Not met within {Patience}: {what}\n{await situation()}\ncity:\n{city?.Node.Output}\nprovince:\n{province?.Node.Output}\nphones:\n{string.Join("\n---\n", phones.Select(p => p.Output))}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
