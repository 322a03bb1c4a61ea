using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Venues;

/// <summary>
/// BRIEF §4 venue status from live facts only: in-session needs a connected leg in the session that
/// holds the venue, online needs a registration that has not lapsed, and nothing stored survives a
/// reactivation as online or in-session.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class VenueStatusTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IVenueGrain Venue(string id) => fixture.Grains.GetGrain<IVenueGrain>(id);

    [Fact]
    public async Task A_venue_held_by_a_session_is_in_session_only_while_its_leg_is_connected()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var sessionId = ShortId.New("s");
        await fixture.Grains.GetGrain<ISessionGrain>(sessionId).CreateAsync(net.Emergency(net.District1), "officer");
        var venue = Venue(net.District1);

        Assert.Equal(sessionId, (await venue.GetAsync())!.SessionId);
        Assert.Equal(VenueStatus.Offline, (await venue.GetAsync())!.Status);

        Assert.Equal(VenueStatus.Online, (await venue.ReportRegistrationAsync(new("bridge-a", true, Minute))).Status);
        Assert.Equal(VenueStatus.Online, (await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Calling, Minute))).Status);
        Assert.Equal(VenueStatus.InSession, (await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Connected, Minute))).Status);
        Assert.Equal(VenueStatus.Online, (await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Dropped, Minute))).Status);
        Assert.Equal(VenueStatus.Online, (await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Failed, Minute))).Status);
        Assert.Equal(VenueStatus.Offline, (await venue.ReportRegistrationAsync(new("bridge-a", false, Minute))).Status);

        var browser = await venue.ReportLegAsync(new(sessionId, "bridge-b", LegState.Connected, Minute));
        Assert.Equal(VenueStatus.InSession, browser.Status);
        Assert.Null(browser.Bridge);
    }

    [Fact]
    public async Task A_connected_leg_in_a_session_that_does_not_hold_the_venue_is_not_in_session()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var venue = Venue(net.District2);

        await venue.ReportRegistrationAsync(new("bridge-a", true, Minute));
        var info = await venue.ReportLegAsync(new(ShortId.New("s"), "bridge-a", LegState.Connected, Minute));

        Assert.Equal(VenueStatus.Online, info.Status);
        Assert.Equal("bridge-a", info.Bridge);
    }

    [Fact]
    public async Task A_registration_another_bridge_still_holds_keeps_the_venue_online()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var venue = Venue(net.Police);

        await venue.ReportRegistrationAsync(new("bridge-a", true, Minute));
        await venue.ReportRegistrationAsync(new("bridge-b", true, Minute));

        var info = await venue.ReportRegistrationAsync(new("bridge-a", false, Minute));
        Assert.Equal(VenueStatus.Online, info.Status);
        Assert.Equal("bridge-b", info.Bridge);
        await Assert.ThrowsAsync<CommandException>(() => Venue("no-venue").ReportRegistrationAsync(new("bridge-a", true, Minute)));
    }

    [Fact]
    public async Task Facts_not_repeated_lapse_and_the_change_is_published_with_a_new_version()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var sessionId = ShortId.New("s");
        await fixture.Grains.GetGrain<ISessionGrain>(sessionId).CreateAsync(net.Emergency(net.Backup), "officer");
        var venue = Venue(net.Backup);
        await venue.ReportRegistrationAsync(new("bridge-a", true, TimeSpan.FromSeconds(3)));
        var inSession = await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Connected, TimeSpan.FromSeconds(1)));
        Assert.Equal(VenueStatus.InSession, inSession.Status);

        var online = await Eventually.Until(venue.GetAsync, v => v!.Version > inSession.Version, TimeSpan.FromSeconds(5));
        Assert.Equal(VenueStatus.Online, online!.Status);

        var offline = await Eventually.Until(venue.GetAsync, v => v!.Version > online.Version, TimeSpan.FromSeconds(5));
        Assert.Equal(VenueStatus.Offline, offline!.Status);
    }

    [Fact]
    public async Task A_reactivated_venue_forgets_its_live_facts_and_publishes_that_it_is_offline()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var sessionId = ShortId.New("s");
        await fixture.Grains.GetGrain<ISessionGrain>(sessionId).CreateAsync(net.Emergency(net.Township), "officer");
        var venue = Venue(net.Township);
        await venue.ReportRegistrationAsync(new("bridge-a", true, Minute));
        var before = await venue.ReportLegAsync(new(sessionId, "bridge-a", LegState.Connected, Minute));
        Assert.Equal(VenueStatus.InSession, before.Status);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var after = (await venue.GetAsync())!;
        Assert.Equal(VenueStatus.Offline, after.Status);
        Assert.Equal(sessionId, after.SessionId);
        var published = await Eventually.Until(venue.GetAsync, v => v!.Version > before.Version, TimeSpan.FromSeconds(5));
        Assert.Equal(VenueStatus.Offline, published!.Status);
    }
}
