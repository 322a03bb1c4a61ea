using Command.Contracts;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Sessions;

[Collection(ClusterCollection.Name)]
public sealed class FloorControlTests(ClusterFixture fixture)
{
    private const string Chair = "chair";

    [Fact]
    public async Task Emergency_session_goes_live_at_once_with_the_chair_broadcast()
    {
        var (net, session) = await LiveAsync();

        var s = await session.GetAsync();

        Assert.Equal(SessionPhase.Live, s.State);
        Assert.Equal(net.Main, s.BroadcastVenueId);
        Assert.All(s.Venues, v => Assert.Equal(ParticipantStatus.Joined, v.Status));
        Assert.Null(Venue(s, net.Main).ViewingVenueId);
        Assert.Equal(net.Main, Venue(s, net.District1).ViewingVenueId);
    }

    [Fact]
    public async Task Broadcast_shows_the_venue_to_everyone_and_the_chair_to_it()
    {
        var (net, session) = await LiveAsync();

        var s = await session.BroadcastAsync(net.District2, Chair);

        Assert.Equal(net.District2, s.BroadcastVenueId);
        Assert.Equal(net.District2, Venue(s, net.Main).ViewingVenueId);
        Assert.Equal(net.District2, Venue(s, net.District1).ViewingVenueId);
        Assert.Equal(net.Main, Venue(s, net.District2).ViewingVenueId);
    }

    [Fact]
    public async Task View_changes_only_the_one_venue_until_the_next_broadcast()
    {
        var (net, session) = await LiveAsync();

        var viewed = await session.ViewAsync(net.Main, net.District1, Chair);
        Assert.Equal(net.District1, Venue(viewed, net.Main).ViewingVenueId);
        Assert.Equal(net.Main, Venue(viewed, net.District2).ViewingVenueId);

        var broadcast = await session.BroadcastAsync(net.District2, Chair);
        Assert.Equal(net.District2, Venue(broadcast, net.Main).ViewingVenueId);
    }

    [Fact]
    public async Task A_venue_cannot_view_itself()
    {
        var (net, session) = await LiveAsync();

        var e = await Assert.ThrowsAsync<CommandException>(() => session.ViewAsync(net.District1, net.District1, Chair));

        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public async Task Roll_call_unmutes_and_broadcasts_the_venue_and_mutes_all_others_but_the_chair()
    {
        var (net, session) = await LiveAsync();
        await session.MuteAsync(net.District1, true, Chair);

        var s = await session.RollCallAsync(net.District1, Chair);

        Assert.Equal(net.District1, s.SpeakerVenueId);
        Assert.Equal(net.District1, s.BroadcastVenueId);
        Assert.False(Venue(s, net.District1).Muted);
        Assert.False(Venue(s, net.Main).Muted);
        Assert.True(Venue(s, net.District2).Muted);
        Assert.True(Venue(s, net.Police).Muted);
    }

    [Fact]
    public async Task Mute_all_spares_the_chair_and_unmute_all_restores_everyone()
    {
        var (net, session) = await LiveAsync();

        var muted = await session.MuteAsync(null, true, Chair);
        Assert.False(Venue(muted, net.Main).Muted);
        Assert.All(muted.Venues.Where(v => v.VenueId != net.Main), v => Assert.True(v.Muted));

        var unmuted = await session.MuteAsync(null, false, Chair);
        Assert.All(unmuted.Venues, v => Assert.False(v.Muted));
    }

    [Fact]
    public async Task Muting_the_speaker_takes_the_floor_away()
    {
        var (net, session) = await LiveAsync();
        await session.RollCallAsync(net.District2, Chair);

        var s = await session.MuteAsync(net.District2, true, Chair);

        Assert.Null(s.SpeakerVenueId);
        Assert.True(Venue(s, net.District2).Muted);
    }

    [Fact]
    public async Task Polling_rotates_the_broadcast_on_its_interval_until_a_manual_broadcast()
    {
        var (net, session) = await LiveAsync();

        var started = await session.PollAsync([net.District1, net.District2], 1, Chair);
        Assert.Equal(net.District1, started.BroadcastVenueId);

        await Eventually.Until(session.GetAsync, s => s.BroadcastVenueId == net.District2, TimeSpan.FromSeconds(5));
        await Eventually.Until(session.GetAsync, s => s.BroadcastVenueId == net.District1, TimeSpan.FromSeconds(5));

        var manual = await session.BroadcastAsync(net.Police, Chair);
        Assert.Null(manual.Polling);
        await Task.Delay(2500, TestContext.Current.CancellationToken);
        Assert.Equal(net.Police, (await session.GetAsync()).BroadcastVenueId);
    }

    [Fact]
    public async Task Polling_needs_two_joined_venues_and_a_sane_interval()
    {
        var (net, session) = await LiveAsync();
        var before = await session.GetAsync();

        await Assert.ThrowsAsync<CommandException>(() => session.PollAsync([net.District1], 5, Chair));
        await Assert.ThrowsAsync<CommandException>(() => session.PollAsync([net.District1, net.District2], 0, Chair));
        var outsider = await Assert.ThrowsAsync<CommandException>(() => session.PollAsync([net.District1, net.Township], 5, Chair));

        Assert.Equal(CommandErrorKind.Conflict, outsider.Kind);
        Assert.Equal(before.Version, (await session.GetAsync()).Version);
    }

    [Fact]
    public async Task A_locked_session_refuses_new_venues_and_takes_them_again_when_unlocked()
    {
        var (net, session) = await LiveAsync();
        await session.LockAsync(true, Chair);

        var e = await Assert.ThrowsAsync<CommandException>(() => session.AddVenueAsync(net.Township, Chair));
        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Contains("locked", e.Message);
        Assert.DoesNotContain((await session.GetAsync()).Venues, v => v.VenueId == net.Township);

        await session.LockAsync(false, Chair);
        var s = await session.AddVenueAsync(net.Township, Chair);
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Township).Status);
    }

    [Fact]
    public async Task The_backup_venue_replaces_a_failed_venue_and_takes_over_its_roles()
    {
        var (net, session) = await LiveAsync();
        await session.RollCallAsync(net.District1, Chair);
        await session.ViewAsync(net.Main, net.District1, Chair);

        var s = await session.ReplaceWithBackupAsync(net.District1, Chair);

        Assert.Equal(ParticipantStatus.Replaced, Venue(s, net.District1).Status);
        Assert.Equal(ParticipantStatus.Joined, Venue(s, net.Backup).Status);
        Assert.Equal(net.Backup, s.BroadcastVenueId);
        Assert.Equal(net.Backup, s.SpeakerVenueId);
        Assert.Equal(net.Backup, Venue(s, net.Main).ViewingVenueId);
        Assert.Equal(net.Backup, Venue(s, net.District2).ViewingVenueId);
        Assert.False(Venue(s, net.Backup).Muted);
        Assert.Null((await fixture.Grains.GetGrain<Contracts.Venues.IVenueGrain>(net.District1).GetAsync())!.SessionId);
        Assert.Equal(session.GetPrimaryKeyString(), (await fixture.Grains.GetGrain<Contracts.Venues.IVenueGrain>(net.Backup).GetAsync())!.SessionId);
    }

    [Fact]
    public async Task A_failed_chair_hands_the_chair_to_the_backup()
    {
        var (net, session) = await LiveAsync();

        var s = await session.ReplaceWithBackupAsync(net.Main, Chair);

        Assert.Equal(net.Backup, s.ChairVenueId);
        Assert.Equal(net.Backup, s.BroadcastVenueId);
    }

    [Fact]
    public async Task With_no_free_backup_the_replacement_is_refused_and_nothing_changes()
    {
        var (net, session) = await LiveAsync();
        await session.ReplaceWithBackupAsync(net.District1, Chair);
        var before = await session.GetAsync();

        var e = await Assert.ThrowsAsync<CommandException>(() => session.ReplaceWithBackupAsync(net.District2, Chair));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        var after = await session.GetAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(ParticipantStatus.Joined, Venue(after, net.District2).Status);
    }

    private async Task<(TestNetwork Net, ISessionGrain Session)> LiveAsync()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1, net.District2, net.Police), "officer");
        return (net, session);
    }

    private static Participant Venue(SessionSnapshot s, string venueId) => s.Venues.Single(v => v.VenueId == venueId);
}
