using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Topology;
using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Sessions;

/// <summary>
/// A backup venue enters a session by the same authority rule as any venue: only from within the
/// region of the session's chair venue, a district's own named backup first.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BackupAuthorityTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_district_session_never_takes_the_city_backup_and_its_chair_keeps_the_session()
    {
        var net = await Network.CreateAsync(Grains);
        var session = NewSession();
        var created = await session.CreateAsync(new CreateSessionCommand("district A", SessionKind.Emergency, net.ACommand, [net.ABranch]), "officer");

        var branch = await Assert.ThrowsAsync<CommandException>(() => session.ReplaceWithBackupAsync(net.ABranch, Chair));
        var chair = await Assert.ThrowsAsync<CommandException>(() => session.ReplaceWithBackupAsync(net.ACommand, Chair));

        Assert.Equal((CommandErrorKind.Forbidden, CommandErrorKind.Forbidden), (branch.Kind, chair.Kind));
        Assert.Contains(net.ACode, branch.Message);
        var after = await session.GetAsync();
        Assert.Equal(created.Version, after.Version);
        Assert.Equal(net.ACommand, after.ChairVenueId);
        Assert.DoesNotContain(after.Venues, v => v.VenueId == net.CityBackup);
        Assert.Null((await Grains.GetGrain<IVenueGrain>(net.CityBackup).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task A_district_with_its_own_named_backup_gets_that_one_even_when_the_chair_fails()
    {
        var net = await Network.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(new CreateSessionCommand("district B", SessionKind.Emergency, net.BCommand, [net.BBranch]), "officer");

        var s = await session.ReplaceWithBackupAsync(net.BCommand, Chair);

        Assert.Equal(net.BNamedBackup, s.ChairVenueId);
        Assert.Equal(ParticipantStatus.Joined, s.Venues.Single(v => v.VenueId == net.BNamedBackup).Status);
        Assert.DoesNotContain(s.Venues, v => v.VenueId == net.CityBackup || v.VenueId == net.BOtherBackup);
    }

    [Fact]
    public async Task A_city_session_takes_the_nearest_backup_serving_the_failed_venue()
    {
        var net = await Network.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(new CreateSessionCommand("city", SessionKind.Emergency, net.Main, [net.ABranch, net.BBranch]), "officer");

        await session.ReplaceWithBackupAsync(net.BBranch, Chair);
        var s = await session.ReplaceWithBackupAsync(net.ABranch, Chair);

        Assert.Equal(net.BNamedBackup, s.Venues.Single(v => v.VenueId == net.BBranch).ReplacedBy);
        Assert.Equal(net.CityBackup, s.Venues.Single(v => v.VenueId == net.ABranch).ReplacedBy);
        Assert.Equal(net.Main, s.ChairVenueId);
    }

    [Fact]
    public async Task The_automatic_backup_of_a_district_session_gives_up_rather_than_take_the_city_backup()
    {
        var net = await Network.CreateAsync(Grains);
        var session = NewSession();
        await session.CreateAsync(
            new CreateSessionCommand("district A auto", SessionKind.Emergency, net.ACommand, [net.ABranch]) { AutoBackupEnabled = true, AutoBackupAfterSeconds = 1 },
            "officer");

        await session.ReportLegAsync(new LegReport(session.GetPrimaryKeyString(), net.ABranch, LegState.Dropped, "no media", DateTimeOffset.UtcNow));
        var timeline = await Eventually.Until(session.GetTimelineAsync, t => t.Any(e => e.Action == "auto-backup-failed"), TimeSpan.FromSeconds(5));

        Assert.Contains(net.ACode, timeline.Single(e => e.Action == "auto-backup-failed").Detail);
        var s = await session.GetAsync();
        Assert.Equal(ParticipantStatus.Joined, s.Venues.Single(v => v.VenueId == net.ABranch).Status);
        Assert.DoesNotContain(s.Venues, v => v.VenueId == net.CityBackup);
        Assert.Equal(net.ACommand, s.ChairVenueId);
    }

    private ISessionGrain NewSession() => Grains.GetGrain<ISessionGrain>(ShortId.New("s"));

    /// <summary>A city with its backup, district A with none, district B naming one of its two backups.</summary>
    private sealed class Network
    {
        private Network(string token) => Token = token;

        public string Token { get; }

        public string CityCode => Token + "06";

        public string ACode => Token + "61";

        public string BCode => Token + "62";

        public string Main => Token + "-main";

        public string CityBackup => Token + "-backup";

        public string ACommand => Token + "-a";

        public string ABranch => Token + "-a-branch";

        public string BCommand => Token + "-b";

        public string BBranch => Token + "-b-branch";

        // Sorts before the named one, so only the name can make the named one win.
        public string BOtherBackup => Token + "-b-a-backup";

        public string BNamedBackup => Token + "-b-z-backup";

        public static async Task<Network> CreateAsync(IGrainFactory grains)
        {
            var n = new Network("t" + Guid.NewGuid().ToString("N")[..8]);
            ImmutableArray<RegionInfo> regions =
            [
                new(n.CityCode, "市", RegionLevel.City, null, n.Main, n.CityBackup),
                new(n.ACode, "甲区", RegionLevel.District, n.CityCode, n.ACommand),
                new(n.BCode, "乙区", RegionLevel.District, n.CityCode, n.BCommand, n.BNamedBackup),
            ];
            ImmutableArray<VenueDefinition> venues =
            [
                Venue(n.Main, n.CityCode, VenueKind.Command),
                Venue(n.CityBackup, n.CityCode, VenueKind.Backup),
                Venue(n.ACommand, n.ACode, VenueKind.Command),
                Venue(n.ABranch, n.ACode, VenueKind.Branch),
                Venue(n.BCommand, n.BCode, VenueKind.Command),
                Venue(n.BBranch, n.BCode, VenueKind.Branch),
                Venue(n.BOtherBackup, n.BCode, VenueKind.Backup),
                Venue(n.BNamedBackup, n.BCode, VenueKind.Backup),
            ];
            await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey).LoadTopologyAsync(
                new TopologyDocument("test.example", regions, venues, ImmutableArray<FeedInfo>.Empty));
            return n;
        }

        private static VenueDefinition Venue(string id, string region, VenueKind kind) => new(id, id, region, kind, id, "secret-" + id);
    }
}
