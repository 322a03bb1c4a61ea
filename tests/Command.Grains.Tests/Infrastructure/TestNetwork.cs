using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Topology;
using Command.Contracts.Venues;

namespace Command.Grains.Tests.Infrastructure;

/// <summary>
/// A small network of its own for one test: a province, a city with two districts and a township,
/// and their venues, under codes no other test uses, so tests never compete for a venue.
/// </summary>
public sealed class TestNetwork
{
    private TestNetwork(string token) => Token = token;

    public string Token { get; }

    public string ProvinceCode => Token + "00";

    public string CityCode => Token + "06";

    public string District1Code => Token + "61";

    public string District2Code => Token + "62";

    public string TownshipCode => Token + "611";

    public string Province => Token + "-prov";

    public string Main => Token + "-main";

    public string District1 => Token + "-d1";

    public string District2 => Token + "-d2";

    public string Police => Token + "-police";

    public string Backup => Token + "-backup";

    public string Township => Token + "-t1";

    public string Camera => Token + "-cam";

    public TopologyDocument Document { get; private set; } = null!;

    public static async Task<TestNetwork> CreateAsync(IGrainFactory grains)
    {
        var network = new TestNetwork("t" + Guid.NewGuid().ToString("N")[..8]);
        network.Document = network.Build();
        await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).LoadTopologyAsync(network.Document);
        return network;
    }

    public CreateSessionCommand Emergency(params string[] venues) =>
        new("emergency " + Token, SessionKind.Emergency, Main, [.. venues]);

    public CreateSessionCommand Meeting(params string[] venues) =>
        new("meeting " + Token, SessionKind.Meeting, Main, [.. venues]);

    private TopologyDocument Build()
    {
        ImmutableArray<RegionInfo> regions =
        [
            new(ProvinceCode, "省", RegionLevel.Province, null, Province),
            new(CityCode, "市", RegionLevel.City, ProvinceCode, Main),
            new(District1Code, "一区", RegionLevel.District, CityCode, District1),
            new(District2Code, "二区", RegionLevel.District, CityCode, District2),
            new(TownshipCode, "一镇", RegionLevel.Township, District1Code, Township),
        ];
        ImmutableArray<VenueDefinition> venues =
        [
            Venue(Province, ProvinceCode, VenueKind.Command),
            Venue(Main, CityCode, VenueKind.Command),
            Venue(District1, District1Code, VenueKind.Branch),
            Venue(District2, District2Code, VenueKind.Branch),
            Venue(Police, CityCode, VenueKind.Branch),
            Venue(Backup, CityCode, VenueKind.Backup),
            Venue(Township, TownshipCode, VenueKind.Branch),
        ];
        ImmutableArray<FeedInfo> feeds = [new(Camera, "路口监控", "rtsp://127.0.0.1:8554/" + Token, "公安局", District1Code)];
        return new TopologyDocument("test.example", regions, venues, feeds);
    }

    private static VenueDefinition Venue(string id, string region, VenueKind kind) =>
        new(id, id, region, kind, id, "secret-" + id);
}
