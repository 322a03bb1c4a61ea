using System.Globalization;
using System.Net;
using Command.Grains.Tests.Infrastructure;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Chaos;
using Interop.Tests.Sip;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Cascade;

/// <summary>
/// A linphonec softphone as a venue of the deployment below: it hears the provincial chair through the cascade
/// (province → city call → the city's relay session), and the provincial chair hears it, with each node its own
/// process and store.
/// </summary>
public sealed class CascadeLinphoneTests : IAsyncDisposable
{
    private const int ProvinceTone = 500;
    private const int CityTone = 1100;
    private const int Silence = 800;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo provinceWork = Directory.CreateTempSubdirectory("command-province-");
    private readonly DirectoryInfo cityWork = Directory.CreateTempSubdirectory("command-city-");
    private readonly int provinceSipPort = Ports.Free();
    private readonly int citySipPort = Ports.Free();
    private BridgeNode? province;
    private BridgeNode? city;

    [Fact]
    public async Task A_linphonec_venue_below_hears_the_province_and_is_heard_there()
    {
        province = await CascadeNodes.StartUpperAsync(provinceWork, provinceSipPort, ["--Command:Bridge:KeepAliveSeconds=2"]);
        city = await CascadeNodes.StartLowerAsync(cityWork, provinceSipPort,
        [
            $"--Command:Bridge:SipPort={citySipPort.ToString(CultureInfo.InvariantCulture)}",
            "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main",
            "--Command:Cascade:Uplinks:0:VenueIds:1=fs-nanhai",
        ]);
        var uplinkId = (string)(await Eventually.Until(
            async () => (await city.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray().FirstOrDefault(u => (string?)u!["status"] == "registered"),
            u => u is not null, Patience))!["id"]!;

        await using var chair = new ScriptedPhone("2101", "fs-2101-Sample!", 1, new IPEndPoint(IPAddress.Loopback, provinceSipPort), toneHz: ProvinceTone);
        Assert.Equal(200, (await chair.RegisterAsync()).StatusCode);
        using var nanhai = Linphone.Start("2102", "fs-2102-Sample!", citySipPort, CityTone);
        await Eventually.Until(async () => (string?)(await city.Node.Http.GetJsonAsync("/api/venues/fs-nanhai"))["status"], s => s == "online", Patience);

        var meeting = await province.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "全省防汛视频会议", kind = "meeting", chairVenueId = "fs-chancheng", venueIds = Array.Empty<string>(), autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var meetingId = (string)meeting["id"]!;
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/start", new { });
        await Eventually.Until(() => Task.FromResult(chair.InCall), c => c, Patience);
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/venues", new { venueId = CascadeNodes.Sha256Venue });
        var relayId = (string)(await Eventually.Until(
            async () => await city.Node.Http.GetJsonAsync($"/api/cascade/uplinks/{uplinkId}"),
            u => (string?)u["status"] == "in-call", Patience))["sessionId"]!;
        await Eventually.Until(async () => (string?)(await city.Node.Http.GetJsonAsync("/api/venues/fs-nanhai"))["status"], s => s == "in-session", Patience);

        // Down: the provincial chair's tone, relayed by the city, in what linphonec records.
        string Below() => $"linphonec heard {ToneMeter.Show(nanhai.Heard(TimeSpan.FromSeconds(2), ProvinceTone, Silence))}\n{nanhai.Output}";
        await Waiting.UntilAsync(() => nanhai.Heard(TimeSpan.FromSeconds(2), ProvinceTone, Silence) is var h && h[ProvinceTone] > 10 * (h[Silence] + 1),
            "the provincial chair's tone at linphonec below", Below, Patience.TotalSeconds);

        // Up: linphonec's tone in the city's mix, sent up the cascade call, at the provincial chair.
        string Above() => $"the provincial chair heard {chair.Audio.Count} packets, {ToneMeter.Show(ToneMeter.Heard(chair, 25, CityTone, Silence))}; relay session {relayId}\n{nanhai.Output}";
        await Waiting.UntilAsync(() => chair.Audio.Count >= 30 && ToneMeter.Heard(chair, 25, CityTone, Silence) is var h && h[CityTone] > 20 * h[Silence],
            "linphonec's tone at the provincial chair", Above, Patience.TotalSeconds);
    }

    public async ValueTask DisposeAsync() => await CascadeNodes.StopAsync([city, province], provinceWork, cityWork);
}
