using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;
using MediaBridge.Tests.Conference;

namespace Interop.Tests.Cascade;

/// <summary>
/// A chain of three deployments (province → city → district), each its own node and store, each lower one
/// registered to the one above as its venue: a provincial picture and sound reach a district venue through
/// both levels, and broadcast switches above are timed to their first packet at every level.
/// </summary>
public sealed class CascadeChainTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo provinceWork = Directory.CreateTempSubdirectory("command-province-");
    private readonly DirectoryInfo cityWork = Directory.CreateTempSubdirectory("command-city-");
    private readonly DirectoryInfo districtWork = Directory.CreateTempSubdirectory("command-district-");
    private readonly int provinceSipPort = Ports.Free();
    private BridgeNode? province;
    private BridgeNode? city;
    private BridgeNode? district;

    [Fact]
    public async Task A_provincial_picture_reaches_a_district_venue_through_the_city()
    {
        var output = TestContext.Current.TestOutputHelper;
        province = await CascadeNodes.StartUpperAsync(provinceWork, provinceSipPort);
        city = await CascadeNodes.StartLowerAsync(cityWork, provinceSipPort,
            "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main", "--Command:Cascade:Uplinks:0:VenueIds:1=fs-chancheng", "--Command:Cascade:Uplinks:0:VenueIds:2=fs-nanhai");
        // The district is the city's 禅城 venue (SIP user 2101), relaying to its own main venue and 高明.
        district = await CascadeNodes.StartLowerAsync(districtWork, city.SipPort,
            "--Command:Cascade:Uplinks:0:Name=佛山市平台", "--Command:Cascade:Uplinks:0:Username=2101", "--Command:Cascade:Uplinks:0:Password=fs-2101-Sample!",
            "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main", "--Command:Cascade:Uplinks:0:VenueIds:1=fs-gaoming");

        await using var source = new ScriptedPhone("2104", "fs-2104-Sample!", 4, new IPEndPoint(IPAddress.Loopback, provinceSipPort), toneHz: 700);
        await using var second = new ScriptedPhone("2103", "fs-2103-Sample!", 7, new IPEndPoint(IPAddress.Loopback, provinceSipPort));
        await using var provincial = new ScriptedPhone("2105", "fs-2105-Sample!", 9, new IPEndPoint(IPAddress.Loopback, provinceSipPort));
        await using var cityVenue = new ScriptedPhone("2102", "fs-2102-Sample!", 5, new IPEndPoint(IPAddress.Loopback, city.SipPort));
        await using var districtVenue = new ScriptedPhone("2105", "fs-2105-Sample!", 6, new IPEndPoint(IPAddress.Loopback, district.SipPort));
        foreach (var phone in new[] { source, second, provincial, cityVenue, districtVenue })
        {
            Assert.Equal(200, (await phone.RegisterAsync()).StatusCode);
        }

        await UntilAsync("both uplinks registered", async () => await UplinkStatusAsync(city) == "registered" && await UplinkStatusAsync(district) == "registered");
        var meeting = await province.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "全省防汛视频会议", kind = "meeting", chairVenueId = "gd-command", venueIds = new[] { "fs-sanshui", "fs-shunde", "fs-gaoming" }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var meetingId = (string)meeting["id"]!;
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/start", new { });
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/broadcast", new { venueId = "fs-sanshui" });
        await UntilAsync("the provincial picture at a provincial venue", () => Task.FromResult(provincial.Video.Count >= 30));

        var clock = Stopwatch.StartNew();
        await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/venues", new { venueId = CascadeNodes.Sha256Venue });
        await UntilAsync("both uplinks in call", async () => await UplinkStatusAsync(city) == "in-call" && await UplinkStatusAsync(district) == "in-call");
        await UntilAsync("the provincial picture and sound at the district venue", () => Task.FromResult(districtVenue.Video.Count >= 30 && Hears(districtVenue, 700)));
        output?.WriteLine($"city added to the province meeting to 30 video packets and the provincial sound at a district venue, two hops down: {clock.ElapsedMilliseconds} ms");
        Assert.True(FirstFrom(districtVenue, 0, source.Tag) is not null, "the district venue receives the provincial source's own packets");

        var switches = new List<(double Province, double City, double District)>();
        for (var i = 0; i < 10; i++)
        {
            var (venue, tag) = i % 2 == 0 ? ("fs-shunde", second.Tag) : ("fs-sanshui", source.Tag);
            var (p, c, d) = (provincial.Video.Count, cityVenue.Video.Count, districtVenue.Video.Count);
            var at = DateTime.UtcNow;
            await province.Node.Http.PostJsonAsync($"/api/sessions/{meetingId}/broadcast", new { venueId = venue });
            await UntilAsync($"switch {i} to {venue} at every level", () => Task.FromResult(
                FirstFrom(provincial, p, tag) is not null && FirstFrom(cityVenue, c, tag) is not null && FirstFrom(districtVenue, d, tag) is not null));
            switches.Add((
                (FirstFrom(provincial, p, tag)!.Value - at).TotalMilliseconds,
                (FirstFrom(cityVenue, c, tag)!.Value - at).TotalMilliseconds,
                (FirstFrom(districtVenue, d, tag)!.Value - at).TotalMilliseconds));
        }

        var first = switches.Select(s => s.City - s.Province).ToList();
        var secondHop = switches.Select(s => s.District - s.City).ToList();
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"switch to first packet, median: province {Median(switches.Select(s => s.Province))} ms, city (one hop) {Median(switches.Select(s => s.City))} ms, " +
            $"district (two hops) {Median(switches.Select(s => s.District))} ms, max {switches.Max(s => s.District):0.0} ms; " +
            $"added by the first hop: median {Median(first, "0.000")} ms, max {first.Max():0.000} ms; by the second: median {Median(secondHop, "0.000")} ms, max {secondHop.Max():0.000} ms ({switches.Count} switches)"));
    }

    public async ValueTask DisposeAsync() => await CascadeNodes.StopAsync([district, city, province], provinceWork, cityWork, districtWork);

    private static bool Hears(ScriptedPhone phone, int hz)
    {
        if (phone.Audio.Count < 30)
        {
            return false;
        }

        var heard = ToneMeter.Heard(phone, 25, hz, 800);
        return heard[hz] > 20 * heard[800];
    }

    /// <summary>When the first packet of the scripted phone tagged <paramref name="tag"/> arrived after the first <paramref name="skip"/>.</summary>
    private static DateTime? FirstFrom(ScriptedPhone phone, int skip, byte tag) =>
        phone.Video.Skip(skip).FirstOrDefault(r => r.Packet.Length > 14 && ((r.Packet[12] == 0x10 && r.Packet[14] == tag) || (r.Packet[12] == 0x00 && r.Packet[13] == tag)))?.At;

    private static string Median(IEnumerable<double> values, string format = "0.0")
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture);
    }

    private static async Task<string?> UplinkStatusAsync(BridgeNode node) =>
        (string?)(await node.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray().Single()!["status"];

    private async Task UntilAsync(string what, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                var legs = new List<string>();
                foreach (var node in new[] { province, city, district })
                {
                    legs.Add(node is null ? "" : (await node.Node.Http.GetJsonAsync("/api/cascade/uplinks")).ToJsonString());
                }

                Assert.Fail($"Not met within {Patience}: {what}\nuplinks (province, city, district): {string.Join("\n", legs)}\ncity:\n{city?.Node.Output}\ndistrict:\n{district?.Node.Output}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
