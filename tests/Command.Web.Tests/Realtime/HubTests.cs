using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Command.Contracts.Sessions;
using Command.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Realtime;

[Collection(ApiCollection.Name)]
public sealed class HubTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task A_region_subscriber_gets_a_snapshot_then_the_change_within_a_second_and_another_district_gets_nothing()
    {
        await using var city = await ConnectAsync(TestUsers.For("viewer", TestUsers.City));
        await using var sanshui = await ConnectAsync(TestUsers.For("viewer", TestUsers.Sanshui));
        var cityChanges = Changes(city);
        var sanshuiChanges = Changes(sanshui);

        var snapshot = await city.InvokeAsync<JsonElement>("SubscribeRegion", TestUsers.City, TestContext.Current.CancellationToken);
        await sanshui.InvokeAsync<JsonElement>("SubscribeRegion", TestUsers.Sanshui, TestContext.Current.CancellationToken);
        Assert.Equal("440600", snapshot.GetProperty("region").GetProperty("code").GetString());
        Assert.Contains(snapshot.GetProperty("venues").EnumerateArray(), v => v.GetProperty("id").GetString() == "fs-main");

        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "推送测试", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng" } },
            System.Net.HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var clock = Stopwatch.StartNew();
            await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai-guicheng" });
            var change = await NextAsync(cityChanges, c => c["session"]?["broadcastVenueId"]?.GetValue<string>() == "fs-nanhai-guicheng", TimeSpan.FromSeconds(1));
            var latency = clock.Elapsed;

            Assert.Equal(id, (string?)change["session"]!["id"]);
            Assert.Equal((long)change["session"]!["version"]!, (long)change["seq"]!);
            Assert.True(latency < TimeSpan.FromSeconds(1), $"delivered after {latency}");
            await Task.Delay(300, TestContext.Current.CancellationToken);
            Assert.False(sanshuiChanges.Reader.TryPeek(out var leaked), $"三水 received {leaked}");
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task When_a_sessions_media_moves_to_another_bridge_the_venues_region_is_told_to_rejoin()
    {
        await using var nanhai = await ConnectAsync(TestUsers.For("viewer", TestUsers.City));
        var moves = Changes(nanhai, "MediaMoved");
        await nanhai.InvokeAsync<JsonElement>("SubscribeRegion", TestUsers.City, TestContext.Current.CancellationToken);
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "迁移测试", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng" } },
            System.Net.HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var session = Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(id);
            await session.MovedToBridgeAsync("bridge-a", "bridge-b", "it was silent for over 3.5 s");

            var move = await NextAsync(moves, m => (string?)m["sessionId"] == id, TimeSpan.FromSeconds(2));
            Assert.Equal(("bridge-a", "bridge-b"), ((string?)move["fromBridge"], (string?)move["toBridge"]));
            Assert.True((long)move["seq"]! > 0);
            var timeline = await http.GetJsonAsync($"/api/sessions/{id}/timeline");
            Assert.Contains(timeline.AsArray(), e => (string?)e!["action"] == "media-moved" && ((string?)e["detail"])!.Contains("bridge-b"));
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Every_dashboard_is_told_when_an_uplink_is_defined_changes_and_is_removed()
    {
        await using var viewer = await ConnectAsync(TestUsers.For("viewer", TestUsers.Sanshui));
        var uplinks = Changes(viewer, "UplinkChanged");
        var created = await http.PostJsonAsync(
            "/api/cascade/uplinks", new { name = "推送上联-" + Guid.NewGuid().ToString("N")[..8], registrar = "sip:127.0.0.1:9", username = "1000", password = "pw" },
            System.Net.HttpStatusCode.Created);
        var id = (string)created["id"]!;

        var defined = await NextAsync(uplinks, u => (string?)u["uplink"]!["id"] == id, TimeSpan.FromSeconds(2));
        Assert.Equal("offline", (string?)defined["uplink"]!["status"]);
        Assert.Null(defined["uplink"]!["password"]);
        await http.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);

        var removed = await NextAsync(uplinks, u => (string?)u["uplink"]!["id"] == id && (string?)u["uplink"]!["reason"] == "removed", TimeSpan.FromSeconds(2));
        Assert.True((long)removed["seq"]! > (long)defined["seq"]!);
    }

    [Fact]
    public async Task Subscribing_outside_ones_region_is_refused()
    {
        await using var sanshui = await ConnectAsync(TestUsers.For("chair-operator", TestUsers.Sanshui));

        var e = await Assert.ThrowsAsync<HubException>(
            () => sanshui.InvokeAsync<JsonElement>("SubscribeRegion", "440604", TestContext.Current.CancellationToken));

        Assert.Contains("outside your authority", e.Message);
    }

    [Fact]
    public async Task The_hub_refuses_an_unauthenticated_connection()
    {
        var connection = Build(accessToken: null);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("401", e.Message);
        await connection.DisposeAsync();
    }

    private async Task<HubConnection> ConnectAsync(string user)
    {
        var connection = Build(await Factory.TokenAsync(user));
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private HubConnection Build(string? accessToken) => Factory.CreateHubConnection(() => Task.FromResult(accessToken));

    private static Channel<JsonNode> Changes(HubConnection connection, string kind = "SessionChanged")
    {
        var channel = Channel.CreateUnbounded<JsonNode>();
        connection.On<JsonElement>(kind, e => channel.Writer.TryWrite(JsonNode.Parse(e.GetRawText())!));
        return channel;
    }

    private static async Task<JsonNode> NextAsync(Channel<JsonNode> changes, Func<JsonNode, bool> match, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var change = await changes.Reader.ReadAsync(cts.Token);
                if (match(change))
                {
                    return change;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No matching change within {timeout}");
            throw;
        }
    }
}
