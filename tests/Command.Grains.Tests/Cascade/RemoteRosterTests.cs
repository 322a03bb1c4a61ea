using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Cascade;

/// <summary>
/// The roster of a deployment below (级联名册), reported over the cascade call: the relay session below puts it in
/// its plan for the bridge to send up; the session above keeps it on the cascade venue while its call is up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RemoteRosterTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    [Fact]
    public async Task The_relay_session_s_plan_carries_its_venues_names_and_status_and_which_one_is_sent_up()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var nanhai = net.Token + "-nanhai";
        await fixture.Grains.GetGrain<IVenueGrain>(nanhai).DefineAsync(new VenueDefinition(nanhai, "南海区", net.District1Code, VenueKind.Branch, nanhai, "secret-" + nanhai));
        var uplinks = fixture.Grains.GetGrain<IUplinksGrain>("test-" + Guid.NewGuid().ToString("N"));
        var uplink = await uplinks.AddAsync(new UplinkRequest("above", "sip:127.0.0.1:5060", "1000", "pw") { VenueIds = [net.Main, nanhai, net.District2] });
        var session = fixture.Grains.GetGrain<ISessionGrain>(await uplinks.CalledAsync("bridge-a", uplink.Id));

        Assert.Equal(
            [new RemoteVenue(net.Main, net.Main, "joined", false), new RemoteVenue(nanhai, "南海区", "joined", false), new RemoteVenue(net.District2, net.District2, "joined", false)],
            (await session.GetConferencePlanAsync())!.Uplink!.Roster);

        await session.SendUpAsync(uplink.Id, nanhai, "cascade");
        await session.RemoveVenueAsync(net.District2, Chair);

        Assert.Equal(
            [new RemoteVenue(net.Main, net.Main, "joined", false), new RemoteVenue(nanhai, "南海区", "joined", true), new RemoteVenue(net.District2, net.District2, "left", false)],
            (await session.GetConferencePlanAsync())!.Uplink!.Roster);
        await session.EndAsync(Chair);
    }

    [Fact]
    public async Task The_session_above_keeps_the_roster_on_the_cascade_venue_until_its_leg_goes_down()
    {
        var (net, session, id) = await LiveAsync();
        ImmutableArray<RemoteVenue> roster = [new("fs-main", "佛山市", "connected", false), new("fs-nanhai", "南海区", "joined", true)];

        await session.ReportRemoteRosterAsync(net.District1, roster);

        var s = await session.GetAsync();
        Assert.Equal(roster, s.Venues.Single(v => v.VenueId == net.District1).RemoteVenues!.Value);
        Assert.Null(s.Venues.Single(v => v.VenueId == net.District2).RemoteVenues);

        await session.ReportRemoteRosterAsync(net.District1, roster);
        Assert.Equal(s.Version, (await session.GetAsync()).Version);

        await session.ReportLegAsync(new LegReport(id, net.District1, LegState.Connected, null, DateTimeOffset.UtcNow));
        Assert.NotNull((await session.GetAsync()).Venues.Single(v => v.VenueId == net.District1).RemoteVenues);

        await session.ReportLegAsync(new LegReport(id, net.District1, LegState.Dropped, "the deployment below hung up", DateTimeOffset.UtcNow));

        Assert.Null((await session.GetAsync()).Venues.Single(v => v.VenueId == net.District1).RemoteVenues);
    }

    [Fact]
    public async Task A_roster_out_of_bounds_is_refused_and_one_for_a_venue_not_joined_is_ignored()
    {
        var (net, session, _) = await LiveAsync();
        await session.ReportRemoteRosterAsync(net.District1, [new("fs-nanhai", "南海区", "joined", false)]);
        var before = await session.GetAsync();

        ImmutableArray<RemoteVenue>[] bad =
        [
            [new("", "南海区", "joined", false)],
            [new("fs-nanhai", new string('名', RemoteVenue.MaxNameLength + 1), "joined", false)],
            [new("fs-nanhai", "南海区", "", false)],
            [.. Enumerable.Range(0, RemoteVenue.MaxVenues + 1).Select(i => new RemoteVenue($"v{i}", "", "joined", false))],
        ];
        foreach (var roster in bad)
        {
            var e = await Assert.ThrowsAsync<CommandException>(() => session.ReportRemoteRosterAsync(net.District1, roster));
            Assert.Equal(CommandErrorKind.Invalid, e.Kind);
        }

        await session.ReportRemoteRosterAsync("no-such-venue", [new("fs-nanhai", "南海区", "joined", false)]);
        await session.RemoveVenueAsync(net.District1, Chair);
        await session.ReportRemoteRosterAsync(net.District1, [new("fs-shunde", "顺德区", "joined", false)]);

        var after = await session.GetAsync();
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Null(after.Venues.Single(v => v.VenueId == net.District1).RemoteVenues);
    }

    [Fact]
    public async Task A_cascaded_roll_call_is_checked_against_the_roster_once_one_is_known()
    {
        var (net, session, _) = await LiveAsync();
        Assert.Equal("fs-anywhere", (await session.CascadeRollCallAsync(net.District1, "fs-anywhere", Chair)).Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
        await session.ReportRemoteRosterAsync(net.District1, [new("fs-nanhai", "南海区", "connected", false), new("fs-sanshui", "三水区", "left", false)]);

        var unknown = await Assert.ThrowsAsync<CommandException>(() => session.CascadeRollCallAsync(net.District1, "fs-nowhere", Chair));
        var left = await Assert.ThrowsAsync<CommandException>(() => session.CascadeRollCallAsync(net.District1, "fs-sanshui", Chair));

        Assert.Equal((CommandErrorKind.NotFound, CommandErrorKind.Conflict), (unknown.Kind, left.Kind));
        Assert.Equal("fs-anywhere", (await session.GetAsync()).Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
        Assert.Equal("fs-nanhai", (await session.CascadeRollCallAsync(net.District1, "fs-nanhai", Chair)).Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
        Assert.Null((await session.CascadeRollCallAsync(net.District1, null, Chair)).Venues.Single(v => v.VenueId == net.District1).RemoteVenueId);
    }

    private async Task<(TestNetwork Net, ISessionGrain Session, string Id)> LiveAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var id = ShortId.New("s");
        var session = fixture.Grains.GetGrain<ISessionGrain>(id);
        await session.CreateAsync(net.Emergency(net.District1, net.District2), "officer");
        return (net, session, id);
    }
}
