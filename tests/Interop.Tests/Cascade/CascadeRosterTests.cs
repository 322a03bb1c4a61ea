using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Grains.Tests.Infrastructure;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Cascade;

/// <summary>
/// The roster of the deployment below (级联名册), fetched over the cascade call between two nodes with their own
/// stores: the province's meeting shows the city's venues, with the city's names, under the city's cascade venue;
/// a city terminal coming up, and a venue leaving the city's relay session, show up above; a cascaded roll call is
/// checked against the roster and marks the venue sent up; and the roster goes when the call drops.
/// </summary>
public sealed class CascadeRosterTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo provinceWork = Directory.CreateTempSubdirectory("command-province-");
    private readonly DirectoryInfo cityWork = Directory.CreateTempSubdirectory("command-city-");
    private readonly int provinceSipPort = Ports.Free();
    private readonly int citySipPort = Ports.Free();
    private BridgeNode? province;
    private BridgeNode? city;

    [Fact]
    public async Task The_province_sees_the_city_s_venues_with_their_names_and_status_and_roll_calls_one_of_them()
    {
        province = await CascadeNodes.StartUpperAsync(provinceWork, provinceSipPort, ["--Command:Bridge:KeepAliveSeconds=2"]);
        city = await CascadeNodes.StartLowerAsync(cityWork, provinceSipPort,
        [
            $"--Command:Bridge:SipPort={citySipPort.ToString(CultureInfo.InvariantCulture)}",
            "--Command:Cascade:RosterSeconds=0.2",
            "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main",
            "--Command:Cascade:Uplinks:0:VenueIds:1=fs-nanhai",
            "--Command:Cascade:Uplinks:0:VenueIds:2=fs-sanshui",
            "--Command:Cascade:Uplinks:0:VenueIds:3=fs-gaoming",
        ]);
        var uplinkId = (string)(await Eventually.Until(
            async () => (await city.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray().FirstOrDefault(u => (string?)u!["status"] == "registered"),
            u => u is not null, Patience))!["id"]!;

        await using var chair = new ScriptedPhone("2101", "fs-2101-Sample!", 1, new IPEndPoint(IPAddress.Loopback, provinceSipPort));
        await using var nanhai = new ScriptedPhone("2102", "fs-2102-Sample!", 2, new IPEndPoint(IPAddress.Loopback, citySipPort));
        await using var gaoming = new ScriptedPhone("2105", "fs-2105-Sample!", 5, new IPEndPoint(IPAddress.Loopback, citySipPort));
        Assert.Equal(200, (await chair.RegisterAsync()).StatusCode);
        Assert.Equal(200, (await nanhai.RegisterAsync()).StatusCode);

        var meeting = await province.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "全省防汛视频会议", kind = "meeting", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-shunde" }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var meetingId = (string)meeting["id"]!;
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/start", new { });
        await Eventually.Until(() => Task.FromResult(chair.InCall), c => c, Patience);
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/venues", new { venueId = CascadeNodes.Sha256Venue });
        var relayId = (string)(await Eventually.Until(
            async () => await city.Node.Http.GetJsonAsync($"/api/cascade/uplinks/{uplinkId}"),
            u => (string?)u["status"] == "in-call", Patience))["sessionId"]!;

        // The city's venues, named as the city's directory names them; only 南海 has a terminal in the call.
        var roster = await Eventually.Until(() => RosterAsync(meetingId),
            r => Status(r, "fs-nanhai") == "connected" && Status(r, "fs-gaoming") == "joined", Patience);
        Assert.Equal(["fs-main", "fs-nanhai", "fs-sanshui", "fs-gaoming"], roster!.AsArray().Select(v => (string?)v!["venueId"]));
        Assert.Equal(["佛山市应急指挥中心（主会场）", "南海区分会场", "三水区分会场", "高明区分会场"], roster.AsArray().Select(v => (string?)v!["name"]));
        Assert.All(roster.AsArray(), v => Assert.Equal(["venueId", "name", "status", "sending"], v!.AsObject().Select(p => p.Key)));
        Assert.All(roster.AsArray(), v => Assert.False((bool)v!["sending"]!));
        var venues = (await province.Node.Http.GetJsonAsync($"/api/sessions/{meetingId}"))["venues"]!.AsArray();
        Assert.Null(venues.Single(v => (string?)v!["venueId"] == "fs-chancheng")!["remoteVenues"]);

        // Below, 高明's terminal comes up and is called into the relay session, and 三水 leaves it.
        Assert.Equal(200, (await gaoming.RegisterAsync()).StatusCode);
        await RemoveAsync(city, relayId, "fs-sanshui");
        await Eventually.Until(() => RosterAsync(meetingId), r => Status(r, "fs-gaoming") == "connected" && Status(r, "fs-sanshui") == "left", Patience);

        // The roll call is checked against the roster: a venue the city lacks, and one that left it, are refused.
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/cascade/rollcall", new { venueId = CascadeNodes.Sha256Venue, remoteVenueId = "fs-nowhere" }, HttpStatusCode.NotFound);
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/cascade/rollcall", new { venueId = CascadeNodes.Sha256Venue, remoteVenueId = "fs-sanshui" }, HttpStatusCode.Conflict);
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/cascade/rollcall", new { venueId = CascadeNodes.Sha256Venue, remoteVenueId = "fs-nanhai" });
        roster = await Eventually.Until(() => RosterAsync(meetingId), r => Sending(r, "fs-nanhai"), Patience);
        Assert.Equal(["fs-nanhai"], roster!.AsArray().Where(v => (bool)v!["sending"]!).Select(v => (string?)v!["venueId"]));
        Assert.Equal("fs-nanhai", (string?)(await city.Node.Http.GetJsonAsync($"/api/sessions/{relayId}"))["uplinkVenueId"]);

        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/cascade/rollcall", new { venueId = CascadeNodes.Sha256Venue, remoteVenueId = (string?)null });
        await Eventually.Until(() => RosterAsync(meetingId), r => r is not null && r.AsArray().All(v => !(bool)v!["sending"]!), Patience);

        // The city node dies: once its call above falls silent and drops, the roster goes with it.
        city.Node.KillHard();
        await city.DisposeAsync();
        city = null;
        await Eventually.Until(() => RosterAsync(meetingId), r => r is null, Patience);
        Assert.Equal("joined", (string?)(await province.Node.Http.GetJsonAsync($"/api/sessions/{meetingId}"))["venues"]!.AsArray()
            .Single(v => (string?)v!["venueId"] == CascadeNodes.Sha256Venue)!["status"]);
    }

    public async ValueTask DisposeAsync() => await CascadeNodes.StopAsync([city, province], provinceWork, cityWork);

    /// <summary>The city's roster as the province's meeting shows it under the cascade venue, or null.</summary>
    private async Task<JsonNode?> RosterAsync(string meetingId) =>
        (await province!.Node.Http.GetJsonAsync($"/api/sessions/{meetingId}"))["venues"]!.AsArray()
            .Single(v => (string?)v!["venueId"] == CascadeNodes.Sha256Venue)!["remoteVenues"]?.DeepClone();

    private static string? Status(JsonNode? roster, string venueId) =>
        roster?.AsArray().FirstOrDefault(v => (string?)v!["venueId"] == venueId)?["status"]?.GetValue<string>();

    private static bool Sending(JsonNode? roster, string venueId) =>
        roster?.AsArray().FirstOrDefault(v => (string?)v!["venueId"] == venueId)?["sending"]?.GetValue<bool>() == true;

    private static async Task RemoveAsync(BridgeNode node, string sessionId, string venueId)
    {
        using var response = await node.Node.Http.DeleteAsync($"/api/sessions/{sessionId}/venues/{venueId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
