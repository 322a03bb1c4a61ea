using System.Text;
using Command.Contracts.Regions;
using Command.Contracts.Venues;
using Command.Grains.Topology;

namespace Command.Grains.Tests.Topology;

public sealed class TopologyLoaderTests
{
    private static readonly string Foshan = Path.Combine(AppContext.BaseDirectory, "topology", "foshan.json");

    [Fact]
    public void The_Foshan_sample_describes_the_real_network()
    {
        var doc = TopologyLoader.LoadFile(Foshan);

        Assert.Equal("440000", doc.Regions.Single(r => r.ParentCode is null).Code);
        Assert.Equal(
            ["440604", "440605", "440606", "440607", "440608"],
            doc.Regions.Where(r => r.ParentCode == "440600").Select(r => r.Code).Order());
        Assert.All(doc.Regions.Where(r => r.Level == RegionLevel.District), d =>
            Assert.InRange(doc.Regions.Count(t => t.ParentCode == d.Code), 2, 3));
        Assert.Equal(VenueKind.Command, doc.Venues.Single(v => v.Id == "fs-main").Kind);
        Assert.Equal(["fs-backup", "fs-chancheng-backup", "fs-sanshui-backup"], doc.Venues.Where(v => v.Kind == VenueKind.Backup).Select(v => v.Id).Order());
        Assert.Equal("fs-backup", doc.Regions.Single(r => r.Code == "440600").BackupVenueId);
        Assert.Equal("fs-sanshui-backup", doc.Regions.Single(r => r.Code == "440607").BackupVenueId);
        Assert.Equal("fs-chancheng-backup", doc.Regions.Single(r => r.Code == "440604").BackupVenueId);
        Assert.Null(doc.Regions.Single(r => r.Code == "440605").BackupVenueId);
        Assert.Contains(doc.Feeds, f => f.Owner.Contains("公安局", StringComparison.Ordinal));
        Assert.Contains(doc.Feeds, f => f.Owner.Contains("三防办", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"}],"venues":[{"id":"v1","name":"n","regionCode":"440699","kind":"branch","sipUser":"1","sipPassword":"password1"}]}""", "venue v1: regionCode '440699' is not a region")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"},{"code":"440000","name":"省","level":"province"}]}""", "regions[1].code '440000' appears twice")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"},{"code":"440604","name":"区","level":"district","parentCode":"440000"}]}""", "each level must sit directly under the one above")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"planet"}]}""", "regions[0].level 'planet' must be one of")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province","commandVenueId":"ghost"}]}""", "commandVenueId 'ghost' is not a venue")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"}],"feeds":[{"id":"c1","name":"n","url":"http://127.0.0.1/","owner":"o","regionCode":"440000"}]}""", "must be an rtsp:// or rtp:// address")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"}],"colour":"red"}""", "colour")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province","backupVenueId":"ghost"}]}""", "backupVenueId 'ghost' is not a venue")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province","backupVenueId":"v1"}],"venues":[{"id":"v1","name":"n","regionCode":"440000","kind":"branch","sipUser":"1","sipPassword":"password1"}]}""", "backupVenueId 'v1' must be a venue of kind backup within the region")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province"},{"code":"440600","name":"市","level":"city","parentCode":"440000","backupVenueId":"v1"}],"venues":[{"id":"v1","name":"n","regionCode":"440000","kind":"backup","sipUser":"1","sipPassword":"password1"}]}""", "must be a venue of kind backup within the region")]
    [InlineData("""{"sipDomain":"x","regions":[{"code":"440000",""", "is not valid")]
    public void A_malformed_file_is_refused_with_a_message_that_names_the_problem(string json, string expected)
    {
        var e = Assert.Throws<TopologyException>(() => TopologyLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));

        Assert.Contains("bad.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_file_without_backup_venues_named_still_loads()
    {
        var doc = TopologyLoader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(
            """{"sipDomain":"x","regions":[{"code":"440000","name":"省","level":"province","commandVenueId":"v1"}],"venues":[{"id":"v1","name":"n","regionCode":"440000","kind":"command","sipUser":"1","sipPassword":"password1"}]}""")), "old.json");

        Assert.Null(Assert.Single(doc.Regions).BackupVenueId);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<TopologyException>(() => TopologyLoader.LoadFile("/nonexistent/topology.json"));

        Assert.Contains("/nonexistent/topology.json", e.Message);
    }
}
