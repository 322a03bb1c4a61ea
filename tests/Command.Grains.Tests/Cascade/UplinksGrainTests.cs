using System.Collections.Immutable;
using System.Text;
using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Grains.Cascade;
using Command.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Command.Grains.Tests.Cascade;

/// <summary>Uplinks defined, stored with their passwords encrypted, handed to one bridge at a time, and reported on.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UplinksGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task An_uplink_is_stored_without_its_password_in_clear_and_handed_to_its_bridge_decrypted()
    {
        var (grain, key) = Fresh();
        var password = "up-" + Guid.NewGuid().ToString("N");

        var view = await grain.AddAsync(new UplinkRequest(" 广东省平台 ", "10.1.0.5:5060", "1000", password));

        Assert.Equal(("广东省平台", "sip:10.1.0.5:5060", "1000", UplinkStatus.Offline, null as string), (view.Name, view.Registrar, view.Username, view.Status, view.SessionId));
        var stored = await StoredAsync(key);
        var bytes = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>().SerializeToArray(stored);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(password)));

        var held = Assert.Single(await grain.TakeAsync("bridge-a", TimeSpan.FromSeconds(10)));
        Assert.Equal((view.Id, "sip:10.1.0.5:5060", "1000", password), (held.Id, held.Registrar, held.Username, held.Password));
        Assert.DoesNotContain(password, held.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, new UplinkRequest("n", "r", "u", password).ToString(), StringComparison.Ordinal);
        Assert.Equal("bridge-a", (await grain.GetAsync(view.Id))!.BridgeId);
    }

    [Theory]
    [InlineData(null, "sip:10.0.0.1", "1000", "pw")]
    [InlineData("name", "sip:1000@10.0.0.1", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1:70000", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1;transport=sctp", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1;lr", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1;transport=tcp;lr", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1;", "1000", "pw")]
    [InlineData("name", "http://10.0.0.1/", "1000", "pw")]
    [InlineData("name", "", "1000", "pw")]
    [InlineData("name", "sip:10.0.0.1", "has space", "pw")]
    [InlineData("name", "sip:10.0.0.1", "1000", "")]
    [InlineData("name", "sip:10.0.0.1", "1000", "tab\there")]
    public async Task Bad_input_is_refused_and_changes_nothing(string? name, string registrar, string username, string password)
    {
        var (grain, _) = Fresh();

        var e = await Assert.ThrowsAsync<CommandException>(() => grain.AddAsync(new UplinkRequest(name, registrar, username, password)));

        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
        Assert.Empty(await grain.ListAsync());
    }

    [Theory]
    [InlineData("sip:10.1.0.5:5060;transport=tcp", "sip:10.1.0.5:5060;transport=tcp")]
    [InlineData("SIP:Upper.Example:5070;Transport=TCP", "sip:upper.example:5070;transport=tcp")]
    [InlineData("10.1.0.5;transport=udp", "sip:10.1.0.5")]
    public async Task A_registrar_over_tcp_keeps_its_transport_and_udp_is_the_default(string registrar, string canonical)
    {
        var (grain, _) = Fresh();

        var view = await grain.AddAsync(new UplinkRequest("上级", registrar, "1000", "pw"));

        Assert.Equal(canonical, view.Registrar);
    }

    [Fact]
    public async Task A_name_in_use_is_a_conflict()
    {
        var (grain, _) = Fresh();
        await grain.AddAsync(new UplinkRequest("省平台", "sip:10.0.0.1", "1000", "pw"));

        var e = await Assert.ThrowsAsync<CommandException>(() => grain.AddAsync(new UplinkRequest("省平台", "sip:10.0.0.2", "1001", "pw")));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        Assert.Single(await grain.ListAsync());
    }

    [Fact]
    public async Task One_bridge_holds_an_uplink_until_its_lease_lapses_then_another_takes_it_and_the_old_reports_count_for_nothing()
    {
        var (grain, _) = Fresh();
        var up = await grain.AddAsync(new UplinkRequest("省平台", "sip:10.0.0.1", "1000", "pw"));

        Assert.Single(await grain.TakeAsync("bridge-a", ShortLease));
        Assert.Empty(await grain.TakeAsync("bridge-b", TimeSpan.FromSeconds(30)));
        await grain.ReportAsync(new UplinkReport("bridge-a", up.Id, UplinkStatus.Registered, null, null, ShortLease));
        Assert.Equal(UplinkStatus.Registered, (await grain.GetAsync(up.Id))!.Status);

        await Task.Delay(ShortLease + TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        Assert.Equal("its media bridge is gone; waiting for another", (await grain.GetAsync(up.Id))!.Reason);
        Assert.Single(await grain.TakeAsync("bridge-b", TimeSpan.FromSeconds(30)));
        await grain.ReportAsync(new UplinkReport("bridge-a", up.Id, UplinkStatus.Registered, null, null, TimeSpan.FromSeconds(30)));

        var view = (await grain.GetAsync(up.Id))!;
        Assert.Equal(("bridge-b", UplinkStatus.Offline, "registering"), (view.BridgeId, view.Status, view.Reason));
        Assert.Empty(await grain.TakeAsync("bridge-a", ShortLease));
    }

    [Fact]
    public async Task Status_follows_the_holders_report_until_its_lease_lapses()
    {
        var (grain, _) = Fresh();
        var up = await grain.AddAsync(new UplinkRequest("省平台", "sip:10.0.0.1", "1000", "pw"));
        await grain.TakeAsync("bridge-a", TimeSpan.FromSeconds(30));

        await grain.ReportAsync(new UplinkReport("bridge-a", up.Id, UplinkStatus.Offline, "401 Unauthorized: the registrar refused the username or password", null, ShortLease));
        var refused = (await grain.GetAsync(up.Id))!;
        Assert.Equal((UplinkStatus.Offline, "401 Unauthorized: the registrar refused the username or password"), (refused.Status, refused.Reason));

        await grain.ReportAsync(new UplinkReport("bridge-a", up.Id, UplinkStatus.Registered, null, null, ShortLease));
        var registered = (await grain.GetAsync(up.Id))!;
        Assert.Equal((UplinkStatus.Registered, null as string), (registered.Status, registered.Reason));
        Assert.True(registered.Version > refused.Version);

        await Eventually.Until(() => grain.GetAsync(up.Id), v => v!.Status == UplinkStatus.Offline && v.Reason == "registering", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Configured_uplinks_load_once_cannot_be_removed_by_the_api_and_go_when_configuration_drops_them()
    {
        var (grain, _) = Fresh();
        ImmutableArray<UplinkRequest> configured = [new("省平台", "sip:10.0.0.1:5060", "1000", "pw"), new("备用省平台", "10.0.0.2", "1000", "pw")];

        Assert.Equal(2, await grain.ConfigureAsync(configured));
        Assert.Equal(0, await grain.ConfigureAsync(configured));
        var list = await grain.ListAsync();
        Assert.All(list, v => Assert.True(v.Configured));
        var first = list.Single(v => v.Name == "省平台");
        var e = await Assert.ThrowsAsync<CommandException>(() => grain.RemoveAsync(first.Id));
        Assert.Equal(CommandErrorKind.Conflict, e.Kind);

        Assert.Equal(2, await grain.ConfigureAsync([new("省平台", "sip:10.0.0.1:5060", "1000", "new-pw")]));
        var kept = Assert.Single(await grain.ListAsync());
        Assert.Equal(first.Id, kept.Id);
        Assert.Equal("new-pw", Assert.Single(await grain.TakeAsync("bridge-a", TimeSpan.FromSeconds(30))).Password);
    }

    [Fact]
    public async Task Removing_an_uplink_takes_it_from_its_bridge()
    {
        var (grain, _) = Fresh();
        var up = await grain.AddAsync(new UplinkRequest("省平台", "sip:10.0.0.1", "1000", "pw"));
        Assert.Single(await grain.TakeAsync("bridge-a", TimeSpan.FromSeconds(30)));

        await grain.RemoveAsync(up.Id);

        Assert.Empty(await grain.TakeAsync("bridge-a", TimeSpan.FromSeconds(30)));
        Assert.Null(await grain.GetAsync(up.Id));
        Assert.Equal(CommandErrorKind.NotFound, (await Assert.ThrowsAsync<CommandException>(() => grain.RemoveAsync(up.Id))).Kind);
    }

    private (IUplinksGrain Grain, string Key) Fresh()
    {
        var key = "test-" + Guid.NewGuid().ToString("N");
        return (fixture.Grains.GetGrain<IUplinksGrain>(key), key);
    }

    private async Task<UplinksState> StoredAsync(string key)
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CommandStorage.Name);
        var state = new GrainState<UplinksState>();
        await storage.ReadStateAsync("uplinks", fixture.Grains.GetGrain<IUplinksGrain>(key).GetGrainId(), state);
        return Assert.IsType<UplinksState>(state.State);
    }
}
