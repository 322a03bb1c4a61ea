using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Command.Grains.Tests.Infrastructure;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>
/// The whole node with linphonec (Debian's linphone-cli) as the 佛山市公安局 venue's terminal, a second real SIP
/// stack beside baresip: it registers with the topology's digest credentials (answering the venue's SHA-256
/// challenge, where baresip takes MD5 only), is called into a session and answers by itself, hears the chair's tone and is heard
/// there, goes quiet at the chair's mute, shows its camera picture, and hanging up shows on the session and the venue.
/// </summary>
public sealed class LinphoneVenueTests : IDisposable
{
    private const string Venue = "fs-police";
    private const string User = "2201";
    private const string Password = "fs-2201-Sample!";
    private const string Chair = "fs-chancheng";
    private const int ChairTone = 500;
    private const int LinphoneTone = 1100;
    private const int Silence = 800;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-linphone-");

    [Fact]
    public async Task A_linphonec_terminal_registering_shows_its_venue_online_and_a_wrong_password_leaves_it_offline()
    {
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        Assert.Equal("offline", await StatusAsync(node, Venue));

        using var police = Linphone.Start(User, Password, started.SipPort, LinphoneTone);
        using var impostor = Linphone.Start("2202", "guessed-password", started.SipPort, LinphoneTone);

        await WaitAsync(() => StatusAsync(node, Venue), s => s == "online", $"{Venue} online", () => $"{police.Output}\n--- impostor ---\n{impostor.Output}");
        // Offline after the bridge has answered the impostor, not merely before it asked.
        await WaitAsync(() => Task.FromResult(impostor.Log), l => l.Contains("to [LinphoneRegistrationFailed]", StringComparison.Ordinal), "the impostor refused", () => impostor.Output);
        Assert.Equal("offline", await StatusAsync(node, "fs-sanfang"));
        var listed = (await node.Http.GetJsonAsync("/api/venues")).AsArray().Single(v => (string?)v!["id"] == Venue)!;
        Assert.Equal("online", (string?)listed["status"]);
        Assert.Equal(User, (string?)listed["sipUser"]);

        // Offered SHA-256 and MD5 (RFC 8760), linphonec takes the stronger one: the bridge's SHA-256 digest works with a real client.
        var answers = police.Log.Split('\n').Where(l => l.Contains("Authorization:", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(answers, a => a.Contains("algorithm=SHA-256", StringComparison.Ordinal) && a.Contains($"username=\"{User}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_bridge_calls_linphonec_which_answers_hears_the_chair_is_heard_there_and_goes_quiet_when_muted()
    {
        var output = TestContext.Current.TestOutputHelper;
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        var chairHeard = work.CreateSubdirectory("chair-heard").FullName;
        using var chair = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: ChairTone, recordTo: chairHeard);
        using var police = Linphone.Start(User, Password, started.SipPort, LinphoneTone);
        string Peers() => $"--- node (tail) ---\n{Tail(node.Output, 60)}\n--- baresip ---\n{chair.Output}\n--- linphonec ---\n{police.Output}";
        foreach (var venue in new[] { Chair, Venue })
        {
            await WaitAsync(() => StatusAsync(node, venue), s => s == "online", $"{venue} online", Peers);
        }

        var id = await CreateSessionAsync(node);
        await WaitAsync(() => LegAsync(node, id, Venue), l => l.State == "connected", "linphonec called in and answering", Peers);
        Assert.Contains("auto answering", police.Printed, StringComparison.Ordinal);
        await WaitAsync(() => StatusAsync(node, Venue), s => s == "in-session", $"{Venue} in session", Peers);

        var leg = await WaitAsync(() => LegAsync(node, id, Venue), l => l.PacketsIn > 100 && l.PacketsOut > 100, "media both ways on linphonec's leg", Peers);
        output?.WriteLine($"linphonec's leg: {leg}");

        var heard = await WaitAsync(() => Task.FromResult(police.Heard(TimeSpan.FromSeconds(2), ChairTone, Silence, LinphoneTone)),
            h => h[ChairTone] > 10 * (h[Silence] + 1), "the chair's tone heard by linphonec", Peers);
        output?.WriteLine($"linphonec hears: {Show(heard)}");
        heard = await WaitAsync(() => Task.FromResult(ChairHeard(chairHeard)), h => h[LinphoneTone] > 10 * (h[Silence] + 1), "linphonec's tone heard by the chair", Peers);
        output?.WriteLine($"the chair hears: {Show(heard)}");

        await node.Http.PostJsonAsync($"/api/sessions/{id}/mute", new { venueId = Venue, muted = true });
        heard = await WaitAsync(() => Task.FromResult(ChairHeard(chairHeard)), h => h[LinphoneTone] < 2 * (h[Silence] + 1), "linphonec muted at the chair", Peers);
        output?.WriteLine($"the chair hears after the mute: {Show(heard)}");
        var stillHearing = police.Heard(TimeSpan.FromSeconds(2), ChairTone, Silence);
        Assert.True(stillHearing[ChairTone] > 10 * (stillHearing[Silence] + 1), $"a muted venue still hears the session: {Show(stillHearing)}");

        await node.Http.PostJsonAsync($"/api/sessions/{id}/mute", new { venueId = Venue, muted = false });
        await WaitAsync(() => Task.FromResult(ChairHeard(chairHeard)), h => h[LinphoneTone] > 10 * (h[Silence] + 1), "linphonec heard again after the unmute", Peers);
    }

    [Fact]
    public async Task Linphonec_hanging_up_drops_its_leg_and_its_venue_falls_back_to_online_until_it_answers_the_call_back()
    {
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        using var chair = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: ChairTone);
        using var police = Linphone.Start(User, Password, started.SipPort, LinphoneTone);
        string Peers() => $"--- node (tail) ---\n{Tail(node.Output, 60)}\n--- baresip ---\n{chair.Output}\n--- linphonec ---\n{police.Output}";
        foreach (var venue in new[] { Chair, Venue })
        {
            await WaitAsync(() => StatusAsync(node, venue), s => s == "online", $"{venue} online", Peers);
        }

        var id = await CreateSessionAsync(node);
        await WaitAsync(() => LegAsync(node, id, Venue), l => l.State == "connected" && l.PacketsIn > 50, "linphonec connected", Peers);
        await WaitAsync(() => StatusAsync(node, Venue), s => s == "in-session", $"{Venue} in session", Peers);

        // The bridge calls a dropped terminal back; unanswered, that call leaves the venue online but not in the session.
        police.Send("autoanswer disable");
        police.Send("terminate");
        await WaitAsync(() => TimelineAsync(node, id), t => t.Contains($"leg-dropped {Venue}: the terminal hung up"), "the hang-up on the session's timeline", Peers);
        await WaitAsync(() => StatusAsync(node, Venue), s => s == "online", $"{Venue} back to online", Peers);
        Assert.NotEqual("connected", (await LegAsync(node, id, Venue)).State);
        var session = await node.Http.GetJsonAsync($"/api/sessions/{id}");
        Assert.Equal("live", (string?)session["state"]);

        await WaitAsync(() => Task.FromResult(police.Printed), o => CountOf(o, "Receiving new incoming call") >= 2, "the bridge calling linphonec back", Peers);
        police.Send("answer");
        await WaitAsync(() => LegAsync(node, id, Venue), l => l.State == "connected", "linphonec connected again", Peers);
        await WaitAsync(() => StatusAsync(node, Venue), s => s == "in-session", $"{Venue} in session again", Peers);
    }

    [Fact]
    public async Task With_its_camera_on_linphonec_sends_a_vp8_picture_that_the_chair_decodes()
    {
        await using var started = await BridgeNode.StartAsync(work);
        var node = started.Node;
        using var chair = Baresip.Start($"<sip:2101@127.0.0.1:{started.SipPort}>;auth_pass=fs-2101-Sample!;regint=600", toneHz: ChairTone);
        using var police = Linphone.Start(User, Password, started.SipPort, LinphoneTone, camera: true);
        string Peers() => $"--- node (tail) ---\n{Tail(node.Output, 60)}\n--- baresip ---\n{chair.Output}\n--- linphonec ---\n{police.Output}";
        foreach (var venue in new[] { Chair, Venue })
        {
            await WaitAsync(() => StatusAsync(node, venue), s => s == "online", $"{venue} online", Peers);
        }

        var id = await CreateSessionAsync(node);
        var leg = await WaitAsync(() => LegAsync(node, id, Venue), l => l.State == "connected" && l.PacketsIn > 100, "linphonec connected", Peers);
        Assert.Equal("VP8", leg.VideoCodec, ignoreCase: true);

        // The chair views the other venue; its own fake camera is 320 x 240, so any other size is linphonec's picture.
        var decoded = await WaitAsync(() => Task.FromResult(ChairPictures(chair)), p => p.Any(r => r != "320 x 240"), "linphonec's picture decoded by the chair", Peers);
        TestContext.Current.TestOutputHelper?.WriteLine($"the chair decodes: {string.Join(", ", decoded)}");
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> CreateSessionAsync(SiloProcess node)
    {
        var created = await node.Http.PostJsonAsync("/api/sessions",
            new { title = "治安联动会商", kind = "emergency", chairVenueId = Chair, venueIds = new[] { Venue }, autoBackup = new { enabled = false } }, HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, Func<string> peers)
    {
        var last = default(T);
        try
        {
            return await Eventually.Until(async () => last = await read(), done, Patience);
        }
        catch (Exception e) when (e is Xunit.Sdk.IAssertionException)
        {
            var seen = last switch
            {
                Dictionary<int, double> tones => Show(tones),
                IEnumerable<string> lines => string.Join("; ", lines),
                _ => $"{last}",
            };
            Assert.Fail($"Timed out after {Patience.TotalSeconds:F0} s waiting for {what}; last seen: {seen}\n{peers()}");
            throw;
        }
    }

    private static async Task<string?> StatusAsync(SiloProcess node, string venueId) =>
        (string?)(await node.Http.GetJsonAsync($"/api/venues/{venueId}"))["status"];

    private static async Task<Leg> LegAsync(SiloProcess node, string sessionId, string venueId)
    {
        var session = await node.Http.GetJsonAsync($"/api/sessions/{sessionId}");
        var venue = session["venues"]!.AsArray().Single(v => (string?)v!["venueId"] == venueId)!;
        return venue["media"] is JsonObject m
            ? new Leg((string?)m["state"], (string?)m["audioCodec"], (string?)m["videoCodec"], (long)m["packetsIn"]!, (long)m["packetsOut"]!)
            : new Leg(null, null, null, 0, 0);
    }

    private static async Task<HashSet<string>> TimelineAsync(SiloProcess node, string sessionId) =>
        [.. (await node.Http.GetJsonAsync($"/api/sessions/{sessionId}/timeline")).AsArray().Select(e => $"{(string?)e!["action"]} {(string?)e["detail"]}")];

    /// <summary>What the chair heard lately: baresip's sndfile module dumps each call's decoded audio as *-dec.wav.</summary>
    private static Dictionary<int, double> ChairHeard(string folder) =>
        Directory.GetFiles(folder, "*dec.wav") is [var wav, ..]
            ? WebRtc.WavTone.Heard(wav, 8000, TimeSpan.FromSeconds(1), ChairTone, Silence, LinphoneTone)
            : new() { [ChairTone] = 0, [Silence] = 0, [LinphoneTone] = 0 };

    private static List<string> ChairPictures(Baresip chair) =>
        [.. Regex.Matches(chair.Output, @"video: receiving with resolution (\d+ x \d+)").Select(m => m.Groups[1].Value)];

    private static string Show(Dictionary<int, double> power) => string.Join(", ", power.Select(p => $"{p.Key} Hz {p.Value:F0}"));

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private sealed record Leg(string? State, string? AudioCodec, string? VideoCodec, long PacketsIn, long PacketsOut);
}
