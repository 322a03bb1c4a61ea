using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Command.Contracts.Sessions;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// Cascade (级联) on the dashboard: the uplinks panel kept live by the hub, an admin adding and deleting an uplink
/// through its form (and seeing the problem when the API refuses), a relay session's upper conference on its card,
/// and the venues of a deployment below listed under its cascade venue, each checked through the API.
/// </summary>
public sealed class CascadeDashboardTests(BrowserNodeFactory node) : BrowserTest(node, inChina: true)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_uplink_defined_through_the_api_is_listed_offline_with_its_reason_and_turns_registered_as_the_hub_says_without_polling()
    {
        using var registrar = new UpperRegistrar();
        var reads = 0;
        var page = await Browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City), p =>
        {
            p.Request += (_, r) =>
            {
                if (r.Method == "GET" && new Uri(r.Url).AbsolutePath == "/api/cascade/uplinks")
                {
                    Interlocked.Increment(ref reads);
                }
            };
            return Task.CompletedTask;
        });
        await Assertions.Expect(page.Locator("#uplinks")).ToHaveAttributeAsync("data-loaded", "true");
        var name = "广东省平台-" + Unique();
        var id = (string)(await Admin.PostJsonAsync("/api/cascade/uplinks", new { name, registrar = registrar.Address, username = "2000", password = "pw-2000" }, HttpStatusCode.Created))["id"]!;
        try
        {
            var item = page.Locator($"#uplinks li[data-uplink='{id}']");
            await Assertions.Expect(item.Locator(".uplink-name")).ToHaveTextAsync(name);
            await Assertions.Expect(item.Locator(".badge.uplink-offline")).ToHaveTextAsync("离线");
            await Assertions.Expect(item.Locator(".uplink-address")).ToHaveTextAsync("2000 @ " + registrar.Address);
            await Assertions.Expect(item.Locator(".uplink-reason")).ToHaveTextAsync("原因: 上级注册服务器无应答", new() { Timeout = 15000 });
            await Assertions.Expect(item.Locator(".uplink-reason")).ToHaveAttributeAsync("title", "no answer from the registrar");
            Assert.True(registrar.Registers > 0);

            // A chair operator reads the list only.
            await Assertions.Expect(page.Locator("#uplink-panel")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#cascade-readonly")).ToHaveTextAsync("仅管理员可添加或删除上联");
            await Assertions.Expect(item.Locator("[data-action=delete-uplink]")).ToHaveCountAsync(0);

            await page.ClickAsync("#lang");
            await Assertions.Expect(item.Locator(".uplink-reason")).ToHaveTextAsync("Reason: No answer from the registrar");
            await page.ClickAsync("#lang");

            registrar.Answer();
            await Assertions.Expect(item.Locator(".badge.uplink-registered")).ToHaveTextAsync("已注册", new() { Timeout = 15000 });
            await Assertions.Expect(item.Locator(".uplink-reason")).ToHaveCountAsync(0);
            Assert.Equal("registered", (string?)(await Admin.GetJsonAsync($"/api/cascade/uplinks/{id}"))["status"]);

            await page.ClickAsync("#lang");
            await Assertions.Expect(page.Locator("#cascade-panel h2")).ToHaveTextAsync("Cascade uplinks");
            await Assertions.Expect(item.Locator(".badge.uplink-registered")).ToHaveTextAsync("Registered");
            await Assertions.Expect(page.Locator("#cascade-readonly")).ToHaveTextAsync("Only an administrator adds or removes uplinks");
            await page.ClickAsync("#lang");

            // Every change came over the hub: the list was read once, when the page loaded.
            Assert.Equal(1, Volatile.Read(ref reads));
            await Admin.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);
            await Assertions.Expect(item).ToHaveCountAsync(0);
        }
        finally
        {
            await Admin.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task An_uplink_called_from_above_shows_in_call_with_a_link_to_its_relay_session_whose_card_shows_the_link_connected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var registrar = new UpperRegistrar();
        registrar.Answer();
        var name = "广东省平台-" + Unique();
        var id = (string)(await Admin.PostJsonAsync("/api/cascade/uplinks",
            new { name, registrar = registrar.Address, username = "2000", password = "pw-2000", venueIds = new[] { "fs-shunde", "fs-shunde-daliang" } }, HttpStatusCode.Created))["id"]!;
        string? relay = null;
        try
        {
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var item = page.Locator($"#uplinks li[data-uplink='{id}']");
            await Assertions.Expect(item.Locator(".badge.uplink-registered")).ToHaveTextAsync("已注册", new() { Timeout = 15000 });
            await Assertions.Expect(item.Locator(".uplink-relay")).ToHaveCountAsync(0);

            await registrar.CallAsync(Wait);

            var uplink = await Eventually.Until(async () => await Admin.GetJsonAsync($"/api/cascade/uplinks/{id}"), u => (string?)u["status"] == "in-call", Wait);
            relay = (string)uplink["sessionId"]!;
            await Assertions.Expect(item.Locator(".badge.uplink-in-call")).ToHaveTextAsync("级联通话中");
            var link = item.Locator($".uplink-relay a[data-relay='{relay}']");
            await Assertions.Expect(link).ToHaveTextAsync($"{name} 级联转播 relay");
            var card = page.Locator($"#sessions [data-session='{relay}']");
            var upper = card.Locator(".cascade-upper");
            await Assertions.Expect(upper.Locator(".badge.link-up")).ToHaveTextAsync("链路已接通");
            await Assertions.Expect(upper.Locator(".badge.uplink-in-call")).ToHaveTextAsync("级联通话中");
            await Assertions.Expect(upper.Locator(".uplink-name")).ToHaveTextAsync(name);
            await Assertions.Expect(upper).ToHaveClassAsync(new Regex("on-air"));

            await link.ClickAsync();
            await page.WaitForURLAsync(new Regex($"#session-{relay}$"));
            await Assertions.Expect(card).ToBeInViewportAsync();
            await WorkflowBrowser.ScreenshotAsync(page, "cascade");

            await page.ClickAsync("#lang");
            await Assertions.Expect(item.Locator(".badge.uplink-in-call")).ToHaveTextAsync("In call");
            await Assertions.Expect(item.Locator(".uplink-relay")).ToContainTextAsync("Relay session");
            await Assertions.Expect(upper.Locator(".badge.link-up")).ToHaveTextAsync("Link connected");
            await page.ClickAsync("#lang");
        }
        finally
        {
            if (relay is not null)
            {
                await Admin.PostAsync($"/api/sessions/{relay}/end", null, ct);
            }

            await Admin.DeleteAsync($"/api/cascade/uplinks/{id}", ct);
        }
    }

    [Fact]
    public async Task An_admin_adds_an_uplink_through_the_form_sees_a_refusal_in_it_and_deletes_the_uplink()
    {
        var name = "省应急平台-" + Unique();
        var page = await Browser.SignInAsync(TestUsers.Admin);
        await Assertions.Expect(page.Locator("#cascade-readonly")).ToBeHiddenAsync();
        await page.ClickAsync("#uplink-panel > summary");
        var form = page.Locator("#new-uplink");
        var before = (await Admin.GetJsonAsync("/api/cascade/uplinks")).AsArray().Count;

        await form.Locator("[name=name]").FillAsync(name);
        await form.Locator("[name=registrar]").FillAsync("sip:user@host;transport=tcp");
        await form.Locator("[name=username]").FillAsync("2001");
        await form.Locator("[name=password]").FillAsync("fs-2001-Sample!");
        await form.Locator("[name=chair]").SelectOptionAsync("fs-main");
        await form.Locator("#new-uplink-venues input[data-venue='fs-nanhai']").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();

        var error = page.Locator("#new-uplink-error");
        await Assertions.Expect(error).ToContainTextAsync("registrar");
        Assert.Equal(before, (await Admin.GetJsonAsync("/api/cascade/uplinks")).AsArray().Count);
        await Assertions.Expect(form.Locator("[name=name]")).ToHaveValueAsync(name);
        await WorkflowBrowser.ScreenshotAsync(page, "cascade-refused");

        await form.Locator("[name=registrar]").FillAsync("127.0.0.1:9");
        await form.Locator("button[type=submit]").ClickAsync();

        var created = await Eventually.Until(
            async () => (await Admin.GetJsonAsync("/api/cascade/uplinks")).AsArray().FirstOrDefault(u => (string?)u!["name"] == name),
            u => u is not null,
            Wait);
        var id = (string)created!["id"]!;
        try
        {
            Assert.Equal(("sip:127.0.0.1:9", "2001"), ((string?)created["registrar"], (string?)created["username"]));
            Assert.Equal(["fs-main", "fs-nanhai"], created["venueIds"]!.AsArray().Select(v => (string)v!));
            await Assertions.Expect(error).ToBeEmptyAsync();
            await Assertions.Expect(form.Locator("[name=name]")).ToHaveValueAsync("");
            var item = page.Locator($"#uplinks li[data-uplink='{id}']");
            await Assertions.Expect(item.Locator(".uplink-venues")).ToHaveTextAsync("转播会议的会场: 佛山市应急指挥中心（主会场）、南海区分会场");

            // The same name again is a conflict, shown in the form; nothing is added.
            await form.Locator("[name=name]").FillAsync(name);
            await form.Locator("[name=registrar]").FillAsync("127.0.0.1:9");
            await form.Locator("[name=username]").FillAsync("2001");
            await form.Locator("[name=password]").FillAsync("x");
            await form.Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(error).ToContainTextAsync("exists already");

            await page.ClickAsync("#lang");
            await Assertions.Expect(page.Locator("#uplink-panel > summary")).ToHaveTextAsync("Add an uplink");
            await Assertions.Expect(form.Locator("button[type=submit]")).ToHaveTextAsync("Add");
            await Assertions.Expect(form.Locator("[name=chair] option[value='']")).ToHaveTextAsync("(none)");
            await Assertions.Expect(item.Locator(".badge.uplink-offline")).ToHaveTextAsync("Offline");
            await Assertions.Expect(item.Locator("[data-action=delete-uplink]")).ToHaveTextAsync("Delete");
            await page.ClickAsync("#lang");

            await item.Locator("[data-action=delete-uplink]").ClickAsync();
            await Assertions.Expect(item).ToHaveCountAsync(0);
            await Admin.GetJsonAsync($"/api/cascade/uplinks/{id}", HttpStatusCode.NotFound);
        }
        finally
        {
            await Admin.DeleteAsync($"/api/cascade/uplinks/{id}", TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_relay_session_shows_its_upper_conference_which_the_chair_broadcasts_and_a_venue_views()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "省级上联-" + Unique();
        var uplinkId = (string)(await Admin.PostJsonAsync("/api/cascade/uplinks", new { name, registrar = "127.0.0.1:9", username = "2002", password = "pw" }, HttpStatusCode.Created))["id"]!;
        var id = (string)(await Admin.PostJsonAsync("/api/sessions",
            new { title = "级联转播-" + Unique(), kind = "relay", chairVenueId = "fs-shunde", venueIds = new[] { "fs-shunde-daliang" } }, HttpStatusCode.Created))["id"]!;
        var session = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<ISessionGrain>(id);
        try
        {
            await session.RelayUplinkAsync(uplinkId, "test");
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var card = page.Locator($"#sessions [data-session='{id}']");
            var upper = card.Locator(".cascade-upper");

            await Assertions.Expect(upper.Locator(".uplink-name")).ToHaveTextAsync(name);
            await Assertions.Expect(upper).ToContainTextAsync("上级会场");
            await Assertions.Expect(upper.Locator(".badge.link-down")).ToHaveTextAsync("链路未接通");
            await Assertions.Expect(upper).ToHaveClassAsync(new Regex("on-air"));
            await Assertions.Expect(card.Locator(".floor .broadcast")).ToHaveTextAsync("上级会场");
            await Assertions.Expect(upper.Locator(".sending-up")).ToHaveTextAsync("上传: 本级广播画面");

            await Admin.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-shunde-daliang" });
            await Assertions.Expect(upper).Not.ToHaveClassAsync(new Regex("on-air"));
            await upper.Locator("[data-action=broadcast-uplink]").ClickAsync();
            await Eventually.Until(async () => (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}"))["broadcastUplinkId"], b => b == uplinkId, Wait);
            await Assertions.Expect(upper).ToHaveClassAsync(new Regex("on-air"));

            await Admin.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-shunde" });
            var row = card.Locator("tr[data-venue='fs-shunde-daliang']");
            await Assertions.Expect(row.Locator("td.viewing")).ToHaveTextAsync(VenueName("fs-shunde"));
            await row.Locator("[data-action=view-uplink]").ClickAsync();
            await Eventually.Until(
                async () => (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}")).Venue("fs-shunde-daliang")["viewingUplinkId"], v => v == uplinkId, Wait);
            await Assertions.Expect(row.Locator("td.viewing")).ToHaveTextAsync("上级会场");
            await Assertions.Expect(row.Locator("[data-action=view-uplink]")).ToHaveCountAsync(0);

            // The session above roll-calls a venue of this one (the bridge would ask so over the link).
            await session.SendUpAsync(uplinkId, "fs-shunde-daliang", "cascade");
            await Assertions.Expect(upper.Locator(".sending-up")).ToHaveTextAsync("上传: " + VenueName("fs-shunde-daliang"));
            await WorkflowBrowser.ScreenshotAsync(page, "cascade-relay");

            await page.ClickAsync("#lang");
            await Assertions.Expect(upper).ToContainTextAsync("Upper conference");
            await Assertions.Expect(upper.Locator(".badge.link-down")).ToHaveTextAsync("Link not connected");
            await Assertions.Expect(upper.Locator("[data-action=broadcast-uplink]")).ToHaveTextAsync("Broadcast the upper conference");
            await Assertions.Expect(row.Locator("td.viewing")).ToHaveTextAsync("Upper conference");
            await page.ClickAsync("#lang");
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, ct);
            await Admin.DeleteAsync($"/api/cascade/uplinks/{uplinkId}", ct);
        }
    }

    /// <summary>
    /// The roster of the deployment below is not in the session snapshot on this branch yet: the hub's messages to the
    /// page get it added on the way (as <c>remoteVenues</c> on the cascade venue, marking as sending the venue the session
    /// asks for), so the list, its buttons and what they change in the session are real.
    /// </summary>
    [Fact]
    public async Task The_venues_below_a_cascade_venue_are_listed_under_it_and_one_is_roll_called_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = (string)(await Admin.PostJsonAsync("/api/sessions",
            new { title = "级联点名-" + Unique(), kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-gaoming", "fs-sanshui" } }, HttpStatusCode.Created))["id"]!;
        try
        {
            var page = await Browser.SignInAsync(TestUsers.Admin, p => p.RouteWebSocketAsync(new Regex("/hubs/command"), ws =>
            {
                var server = ws.ConnectToServer();
                server.OnMessage(frame =>
                {
                    if (frame.Text is { } text)
                    {
                        ws.Send(WithRoster(text, id, "fs-gaoming"));
                    }
                    else if (frame.Binary is { } binary)
                    {
                        ws.Send(binary);
                    }
                });
            }));
            var card = page.Locator($"#sessions [data-session='{id}']");
            var roster = card.Locator("tr.remote-venues[data-remote-of='fs-gaoming']");

            await Assertions.Expect(roster.Locator("summary")).ToHaveTextAsync("下级会场 (3) · 上传: 对方广播画面");
            await Assertions.Expect(card.Locator("tr.remote-venues")).ToHaveCountAsync(1);
            await roster.Locator("summary").ClickAsync();
            var hecheng = roster.Locator("li[data-remote-venue='gm-hecheng']");
            await Assertions.Expect(hecheng.Locator(".remote-name")).ToHaveTextAsync("荷城街道分会场");
            await Assertions.Expect(hecheng.Locator(".badge")).ToHaveTextAsync("已入会");
            await Assertions.Expect(roster.Locator("li[data-remote-venue='gm-yanghe'] .badge")).ToHaveTextAsync("占用");
            await Assertions.Expect(roster.Locator("[data-action=cascade-their-broadcast]")).ToBeDisabledAsync();

            await hecheng.Locator("[data-action=cascade-rollcall]").ClickAsync();
            await Eventually.Until(
                async () => (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}")).Venue("fs-gaoming")["remoteVenueId"], v => v == "gm-hecheng", Wait);

            // Redrawn from the pushed change, still open.
            await Assertions.Expect(hecheng.Locator(".badge.flag-sending-up")).ToHaveTextAsync("正在上传");
            await Assertions.Expect(roster.Locator("summary")).ToHaveTextAsync("下级会场 (3) · 上传: 荷城街道分会场");
            await Assertions.Expect(roster.Locator("[data-action=cascade-their-broadcast]")).ToHaveTextAsync("恢复对方广播");
            await WorkflowBrowser.ScreenshotAsync(page, "cascade-roster");

            await page.ClickAsync("#lang");
            await Assertions.Expect(hecheng.Locator("[data-action=cascade-rollcall]")).ToHaveTextAsync("Roll call up");
            await Assertions.Expect(hecheng.Locator(".badge.flag-sending-up")).ToHaveTextAsync("Sending up");
            await Assertions.Expect(roster.Locator("summary")).ToHaveTextAsync("Venues below (3) · Sent up: 荷城街道分会场");
            await page.ClickAsync("#lang");

            await roster.Locator("[data-action=cascade-their-broadcast]").ClickAsync();
            await Eventually.Until(
                async () => (await Admin.GetJsonAsync($"/api/sessions/{id}")).Venue("fs-gaoming")["remoteVenueId"], v => v is null, Wait);
            await Assertions.Expect(roster.Locator(".badge.flag-sending-up")).ToHaveCountAsync(0);
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    /// <summary>Adds the roster below to the cascade venue in every snapshot of the session a hub message carries.</summary>
    private static string WithRoster(string text, string sessionId, string venueId)
    {
        if (!text.Contains(sessionId, StringComparison.Ordinal))
        {
            return text;
        }

        var records = text.Split('\u001e');
        for (var i = 0; i < records.Length; i++)
        {
            if (records[i].Length > 0 && JsonNode.Parse(records[i]) is { } message)
            {
                AddRoster(message, sessionId, venueId);
                records[i] = message.ToJsonString();
            }
        }

        return string.Join('\u001e', records);
    }

    private static void AddRoster(JsonNode node, string sessionId, string venueId)
    {
        switch (node)
        {
            case JsonObject o when (string?)o["id"] == sessionId && o["venues"] is JsonArray venues:
                foreach (var p in venues.Where(p => (string?)p!["venueId"] == venueId))
                {
                    var asked = (string?)p!["remoteVenueId"];
                    p["remoteVenues"] = new JsonArray(
                        Remote("gm-hecheng", "荷城街道分会场", "joined", asked),
                        Remote("gm-yanghe", "杨和镇分会场", "busy", asked),
                        Remote("gm-mingcheng", "明城镇分会场", "invited", asked));
                }

                break;
            case JsonObject o:
                foreach (var child in o.Select(kv => kv.Value).OfType<JsonNode>().ToList())
                {
                    AddRoster(child, sessionId, venueId);
                }

                break;
            case JsonArray a:
                foreach (var child in a.OfType<JsonNode>().ToList())
                {
                    AddRoster(child, sessionId, venueId);
                }

                break;
        }
    }

    private static JsonObject Remote(string id, string name, string status, string? asked) =>
        new() { ["venueId"] = id, ["name"] = name, ["status"] = status, ["sending"] = id == asked };

    private static string VenueName(string id) => id switch
    {
        "fs-shunde" => "顺德区分会场",
        "fs-shunde-daliang" => "大良街道分会场",
        _ => id,
    };

    private static string Unique() => Guid.NewGuid().ToString("N")[..6];
}
