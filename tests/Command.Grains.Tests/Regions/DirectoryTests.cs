using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Topology;
using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Regions;

[Collection(ClusterCollection.Name)]
public sealed class DirectoryTests(ClusterFixture fixture)
{
    private IDirectoryGrain Directory => fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);

    [Fact]
    public async Task Loading_the_same_topology_again_changes_nothing()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var sessionId = ShortId.New("s");
        await fixture.Grains.GetGrain<ISessionGrain>(sessionId).CreateAsync(net.Emergency(net.District1), "officer");
        await fixture.Grains.GetGrain<IVenueGrain>(net.District1).ReportLegAsync(new(sessionId, "bridge", LegState.Connected, TimeSpan.FromMinutes(1)));
        await fixture.Grains.GetGrain<IVenueGrain>(net.District2).ReportRegistrationAsync(new("bridge", true, TimeSpan.FromMinutes(1)));

        var again = await Directory.LoadTopologyAsync(net.Document);

        Assert.Equal(new TopologyLoadResult(0, 0, 0, 0), again);
        Assert.Equal(VenueStatus.InSession, (await fixture.Grains.GetGrain<IVenueGrain>(net.District1).GetAsync())!.Status);
        Assert.Equal(VenueStatus.Online, (await fixture.Grains.GetGrain<IVenueGrain>(net.District2).GetAsync())!.Status);
    }

    [Fact]
    public async Task A_changed_venue_is_updated_without_losing_its_live_state()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        await fixture.Grains.GetGrain<IVenueGrain>(net.District2).ReportRegistrationAsync(new("bridge", true, TimeSpan.FromMinutes(1)));
        var renamed = net.Document with
        {
            Venues = [.. net.Document.Venues.Select(v => v.Id == net.District2 ? v with { Name = "二区新会场" } : v)],
        };

        var result = await Directory.LoadTopologyAsync(renamed);

        Assert.Equal(1, result.VenuesUpdated);
        var venue = (await fixture.Grains.GetGrain<IVenueGrain>(net.District2).GetAsync())!;
        Assert.Equal("二区新会场", venue.Name);
        Assert.Equal(VenueStatus.Online, venue.Status);
    }

    [Fact]
    public async Task A_region_filter_covers_its_whole_subtree()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);

        var inDistrict = await Directory.GetVenueIdsAsync(net.District1Code);
        var inCity = await Directory.GetVenueIdsAsync(net.CityCode);

        Assert.Equal([net.District1, net.Township], inDistrict.Order());
        Assert.Equal(6, inCity.Length);
        Assert.DoesNotContain(net.Province, inCity);
        var e = await Assert.ThrowsAsync<CommandException>(() => Directory.GetVenueIdsAsync("000000"));
        Assert.Equal(CommandErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task The_tree_nests_each_level_under_its_parent()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);

        var root = (await Directory.GetTreeAsync()).Single(r => r.Code == net.ProvinceCode);

        var city = Assert.Single(root.Children);
        Assert.Equal(RegionLevel.City, city.Level);
        Assert.Equal([net.District1Code, net.District2Code], city.Children.Select(c => c.Code));
        Assert.Equal(net.TownshipCode, Assert.Single(city.Children[0].Children).Code);
    }

    [Fact]
    public async Task Feeds_need_an_rtsp_or_rtp_url_and_a_known_region()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var before = (await Directory.GetFeedIdsAsync()).Length;

        await Assert.ThrowsAsync<CommandException>(() => Directory.AddFeedAsync("cam", "http://127.0.0.1/x", "公安局", net.CityCode, "a"));
        await Assert.ThrowsAsync<CommandException>(() => Directory.AddFeedAsync("cam", "rtp://127.0.0.1", "公安局", net.CityCode, "a"));
        await Assert.ThrowsAsync<CommandException>(() => Directory.AddFeedAsync("cam", "rtsp://127.0.0.1/x", "公安局", "000000", "a"));
        Assert.Equal(before, (await Directory.GetFeedIdsAsync()).Length);

        var feed = await Directory.AddFeedAsync("堤围监控", "rtp://127.0.0.1:50020", "三防办", net.CityCode, "a");
        Assert.Contains(feed.Id, await Directory.GetFeedIdsAsync());
    }

    [Fact]
    public async Task Presence_drives_the_venue_status()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var venue = fixture.Grains.GetGrain<IVenueGrain>(net.Police);

        Assert.Equal(VenueStatus.Offline, (await venue.GetAsync())!.Status);
        Assert.Equal(VenueStatus.Online, (await venue.ReportRegistrationAsync(new("bridge", true, TimeSpan.FromMinutes(1)))).Status);
        Assert.Equal(VenueStatus.Offline, (await venue.ReportRegistrationAsync(new("bridge", false, TimeSpan.Zero))).Status);
    }
}
