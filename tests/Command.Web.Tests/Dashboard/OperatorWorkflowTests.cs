using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// The operator's workflows done in the dashboard, in Chinese, each checked through the API afterwards:
/// an incident opened and convened in one step, a booking with its conflicts, the check-in board,
/// convening by region, the status legend and the incident view with escalation.
/// </summary>
public sealed class OperatorWorkflowTests(BrowserNodeFactory node) : BrowserTest(node, inChina: true)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_officer_opens_an_incident_and_convenes_its_session_with_the_commanding_venue_in_the_chair()
    {
        var title = "杨和镇山体滑坡 " + Unique();
        var page = await Browser.SignInAsync(TestUsers.For("emergency-officer", TestUsers.City));
        await page.ClickAsync("#incident-panel > summary");
        var form = page.Locator("#new-incident");

        await form.Locator("[name=title]").FillAsync(title);
        await form.Locator("[name=description]").FillAsync("2人被困，进镇道路中断");
        await form.Locator("[name=type]").SelectOptionAsync("landslide");
        await form.Locator("[name=region]").SelectOptionAsync("440608106");

        // IV (一般) is commanded by the district, III (较大) by the city: the chair follows.
        await Assertions.Expect(form.Locator("[name=severity] option:checked")).ToHaveTextAsync("IV 一般");
        await Assertions.Expect(form.Locator("[name=chair]")).ToHaveValueAsync("fs-gaoming");
        await Assertions.Expect(form.Locator("#new-incident-venues input[data-venue='fs-gaoming-yanghe']")).ToBeCheckedAsync();
        await Assertions.Expect(form.Locator("#new-incident-venues input[data-venue='fs-gaoming-mingcheng']")).Not.ToBeCheckedAsync();
        await form.Locator("[name=severity]").SelectOptionAsync("3");
        await Assertions.Expect(form.Locator("[name=chair]")).ToHaveValueAsync("fs-main");

        // Commanded from the city, the district between joins as well as the township where it happened.
        await Assertions.Expect(form.Locator("#new-incident-venues input[data-venue='fs-gaoming']")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#new-incident-level")).ToContainTextAsync("佛山市 (市)");
        await WorkflowBrowser.ScreenshotAsync(page, "incident-convene-form");

        await form.Locator("button[type=submit]").ClickAsync();

        var incident = await Eventually.Until(
            async () => (await Admin.GetJsonAsync("/api/incidents")).AsArray().FirstOrDefault(i => (string?)i!["title"] == title),
            i => i is not null && i["sessionIds"]!.AsArray().Count == 1,
            Wait);
        var sessionId = (string)incident!["sessionIds"]![0]!;
        try
        {
            var session = await Admin.GetJsonAsync($"/api/sessions/{sessionId}");
            Assert.Equal(3, (int)incident["severity"]!);
            Assert.Equal("landslide", (string?)incident["type"]);
            Assert.Equal("2人被困，进镇道路中断", (string?)incident["description"]);
            Assert.Equal("440608106", (string?)incident["regionCode"]);
            Assert.Equal("fs-main", (string?)incident["commandVenueId"]);
            Assert.Equal((string?)incident["commandVenueId"], (string?)session["chairVenueId"]);
            Assert.Equal((string?)incident["id"], (string?)session["incidentId"]);
            Assert.Equal("emergency", (string?)session["kind"]);
            Assert.Equal(
                new[] { "fs-gaoming", "fs-gaoming-yanghe", "fs-main" },
                VenuesOf(session));

            var card = page.Locator($"[data-incident='{incident["id"]}']");
            await Assertions.Expect(card.Locator(".badge.sev-3")).ToHaveTextAsync("III 较大");
            await Assertions.Expect(card.Locator(".linked-sessions")).ToContainTextAsync(title);
            await Assertions.Expect(card.Locator(".description")).ToHaveTextAsync("2人被困，进镇道路中断");
            await Assertions.Expect(page.Locator($"#sessions [data-session='{sessionId}']")).ToBeVisibleAsync();
            await WorkflowBrowser.ScreenshotAsync(page, "incident-convene");
        }
        finally
        {
            await CloseAsync((string)incident["id"]!);
        }
    }

    [Fact]
    public async Task A_meeting_operator_sees_a_conflict_before_saving_and_books_once_it_is_gone()
    {
        var start = FreeSlot();
        var other = "既有预约 " + Unique();
        var title = "防汛工作部署会 " + Unique();
        var held = (string)(await Admin.PostJsonAsync(
            "/api/schedules",
            new { title = other, chairVenueId = "fs-police", venueIds = new[] { "fs-chancheng-zumiao" }, start, durationMinutes = 60 },
            HttpStatusCode.Created))["id"]!;
        string? booked = null;
        try
        {
            var page = await Browser.SignInAsync(TestUsers.For("meeting-operator", TestUsers.City));
            await page.ClickAsync("#booking-panel > summary");
            var form = page.Locator("#new-booking");
            await form.Locator("[name=title]").FillAsync(title);
            await form.Locator("[name=start]").FillAsync(start.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
            await form.Locator("[name=duration]").FillAsync("90");
            await form.Locator("[name=chair]").SelectOptionAsync("fs-sanfang");
            var at = start.AddMinutes(30);
            await Assertions.Expect(page.Locator("#booking-when")).ToHaveTextAsync(
                string.Create(CultureInfo.InvariantCulture, $"会议时间: {at:yyyy'/'MM'/'dd HH:mm} – {at.AddMinutes(90):yyyy'/'MM'/'dd HH:mm}"));
            await form.Locator("#new-booking-venues input[data-region='440604']").CheckAsync();

            var conflicts = page.Locator("#booking-conflicts");
            await Assertions.Expect(conflicts.Locator("li[data-venue='fs-chancheng-zumiao']")).ToContainTextAsync("祖庙街道分会场 已被预约");
            await Assertions.Expect(conflicts.Locator("li[data-venue='fs-chancheng-zumiao']")).ToContainTextAsync(other);
            await Assertions.Expect(form.Locator("button[type=submit]")).ToBeDisabledAsync();
            await WorkflowBrowser.ScreenshotAsync(page, "booking");

            await form.Locator("#new-booking-venues input[data-venue='fs-chancheng-zumiao']").UncheckAsync();

            await Assertions.Expect(conflicts).ToHaveAttributeAsync("data-state", "clear");
            await Assertions.Expect(conflicts).ToContainTextAsync("所选会场在该时段均空闲");
            await form.Locator("button[type=submit]").ClickAsync();

            var booking = await Eventually.Until(
                async () => (await Admin.GetJsonAsync("/api/schedules")).AsArray().FirstOrDefault(b => (string?)b!["request"]!["title"] == title),
                b => b is not null,
                Wait);
            booked = (string)booking!["id"]!;
            var request = booking["request"]!;
            Assert.Equal("fs-sanfang", (string?)request["chairVenueId"]);
            Assert.Equal(start.AddMinutes(30), (DateTimeOffset)request["start"]!);
            Assert.Equal(90, (int)request["durationMinutes"]!);
            Assert.Equal(
                new[] { "fs-chancheng", "fs-chancheng-nanzhuang", "fs-chancheng-shiwanzhen" },
                request["venueIds"]!.AsArray().Select(v => (string)v!).Order(StringComparer.Ordinal));
            await Assertions.Expect(page.Locator($"#bookings [data-booking='{booked}']")).ToContainTextAsync(title);
        }
        finally
        {
            await Admin.PostJsonAsync($"/api/schedules/{held}/cancel", null);
            if (booked is not null)
            {
                await Admin.PostJsonAsync($"/api/schedules/{booked}/cancel", null);
            }
        }
    }

    [Fact]
    public async Task The_check_in_board_shows_each_venue_and_checks_one_in()
    {
        var title = "南海防汛会商 " + Unique();
        var booking = await Admin.PostJsonAsync(
            "/api/schedules",
            new
            {
                title, chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng", "fs-nanhai-jiujiang" },
                start = DateTimeOffset.UtcNow.AddMinutes(10), durationMinutes = 30, checkInLeadMinutes = 15,
            },
            HttpStatusCode.Created);
        var id = (string)booking["id"]!;
        var sessionId = (string)booking["sessionIds"]![0]!;
        try
        {
            var page = await Browser.SignInAsync(TestUsers.For("meeting-operator", TestUsers.City));
            var board = page.Locator($"#bookings [data-booking='{id}'] .checkin-board");
            await Assertions.Expect(board.Locator("tr")).ToHaveCountAsync(3);
            await Assertions.Expect(board.Locator(".badge.ci-no")).ToHaveCountAsync(3);
            await Assertions.Expect(board.Locator(".checkin-count")).ToHaveTextAsync("0/3");
            await Assertions.Expect(board).ToContainTextAsync("签到进行中");

            await board.Locator("tr[data-venue='fs-nanhai-jiujiang'] button[data-action='checkin']").ClickAsync();

            await Assertions.Expect(board.Locator("tr[data-venue='fs-nanhai-jiujiang'] .badge")).ToHaveTextAsync("✔ 已签到");
            await Assertions.Expect(board.Locator("tr[data-venue='fs-nanhai-jiujiang'] button")).ToHaveCountAsync(0);
            await Assertions.Expect(board.Locator(".checkin-count")).ToHaveTextAsync("1/3");
            await Assertions.Expect(board.Locator("tr[data-venue='fs-nanhai-guicheng'] .badge")).ToHaveTextAsync("未签到");
            var venues = (await Admin.GetJsonAsync($"/api/sessions/{sessionId}"))["venues"]!.AsArray();
            Assert.True((bool)venues.Single(v => (string?)v!["venueId"] == "fs-nanhai-jiujiang")!["checkedIn"]!);
            Assert.False((bool)venues.Single(v => (string?)v!["venueId"] == "fs-nanhai-guicheng")!["checkedIn"]!);
            await WorkflowBrowser.ScreenshotAsync(page, "check-in");
        }
        finally
        {
            await Admin.PostJsonAsync($"/api/schedules/{id}/cancel", null);
        }
    }

    [Fact]
    public async Task Ticking_a_district_ticks_its_townships_and_the_session_has_them()
    {
        var title = "三水区防汛视频调度 " + Unique();
        var page = await Browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City));
        await page.ClickAsync("#convene-panel > summary");
        var form = page.Locator("#new-session");
        var tree = form.Locator("#new-session-venues");
        await form.Locator("[name=title]").FillAsync(title);
        await form.Locator("[name=kind]").SelectOptionAsync("emergency");
        await form.Locator("[name=chair]").SelectOptionAsync("fs-main");

        await tree.Locator("input[data-region='440607']").CheckAsync();

        foreach (var township in new[] { "440607001", "440607105", "440607101" })
        {
            await Assertions.Expect(tree.Locator($"input[data-region='{township}']")).ToBeCheckedAsync();
        }

        foreach (var venue in new[] { "fs-sanshui", "fs-sanshui-xinan", "fs-sanshui-lubao", "fs-sanshui-datang" })
        {
            await Assertions.Expect(tree.Locator($"input[data-venue='{venue}']")).ToBeCheckedAsync();
        }

        await Assertions.Expect(tree.Locator("input[data-venue='fs-sanshui-backup']")).Not.ToBeCheckedAsync();
        await Assertions.Expect(tree.Locator("input[data-venue='fs-nanhai']")).Not.ToBeCheckedAsync();
        await tree.Locator("input[data-venue='fs-sanshui-datang']").UncheckAsync();
        Assert.True(await tree.Locator("input[data-region='440607']").EvaluateAsync<bool>("e => e.indeterminate && !e.checked"));
        await tree.Locator("input[data-venue='fs-sanshui-datang']").CheckAsync();
        await Assertions.Expect(tree.Locator("input[data-region='440607']")).ToBeCheckedAsync();
        await WorkflowBrowser.ScreenshotAsync(page, "convene-tree");

        await form.Locator("button[type=submit]").ClickAsync();

        var summary = await Eventually.Until(
            async () => (await Admin.GetJsonAsync("/api/sessions")).AsArray().FirstOrDefault(s => (string?)s!["title"] == title),
            s => s is not null,
            Wait);
        var id = (string)summary!["id"]!;
        try
        {
            var session = await Admin.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("fs-main", (string?)session["chairVenueId"]);
            Assert.Equal(new[] { "fs-main", "fs-sanshui", "fs-sanshui-datang", "fs-sanshui-lubao", "fs-sanshui-xinan" }, VenuesOf(session));
            await Assertions.Expect(page.Locator($"#sessions [data-session='{id}'] tr")).ToHaveCountAsync(5);
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Each_status_colour_has_one_meaning_and_the_legend_names_it()
    {
        var id = (string)(await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = "状态说明演示 " + Unique(), kind = "emergency", chairVenueId = "fs-sanfang", venueIds = new[] { "fs-chancheng-nanzhuang", "fs-shunde-beijiao" } },
            HttpStatusCode.Created))["id"]!;
        try
        {
            var venue = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<Command.Contracts.Venues.IVenueGrain>("fs-shunde-beijiao");
            await venue.ReportLegAsync(new(id, "test-bridge", Command.Contracts.Media.LegState.Connected, TimeSpan.FromMinutes(1)));
            var page = await Browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City));
            var legend = page.Locator("#legend li");
            await Assertions.Expect(legend).ToHaveCountAsync(5);
            Assert.Equal(
                ["在线", "会议中", "呼叫中", "呼叫失败", "离线"],
                await page.Locator("#legend li .badge").AllInnerTextsAsync());
            var colours = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var meaning in new[] { "online", "in-session", "calling", "failed", "offline" })
            {
                colours[meaning] = await Background(page.Locator($"#legend li[data-meaning='{meaning}'] .badge"));
            }

            Assert.Equal(5, colours.Values.Distinct(StringComparer.Ordinal).Count());
            var card = page.Locator($"[data-session='{id}']");
            await Assertions.Expect(card.Locator("tr[data-venue='fs-shunde-beijiao'] .badge.m-in-session")).ToHaveCountAsync(1, new() { Timeout = 5000 });
            await Assertions.Expect(card.Locator("tr[data-venue='fs-chancheng-nanzhuang'] .badge.m-offline")).ToHaveCountAsync(1);
            // No terminal answers for this venue: its leg is being called, or has failed and waits to be tried again.
            await Assertions.Expect(card.Locator("tr[data-venue='fs-chancheng-nanzhuang'] .badge[class*='leg-']")).ToHaveClassAsync(new Regex("m-(calling|failed)"));

            // Every badge on the page: a legend colour is worn only by a badge of that meaning, and each meaning wears its colour.
            var badges = await page.Locator(".badge").EvaluateAllAsync<string[][]>(
                "all => all.map(b => [b.className, getComputedStyle(b).backgroundColor])");
            Assert.True(badges.Length > 20, $"only {badges.Length} badges");
            foreach (var badge in badges)
            {
                var classes = badge[0].Split(' ');
                foreach (var (meaning, colour) in colours)
                {
                    Assert.True(
                        classes.Contains("m-" + meaning) == (badge[1] == colour),
                        $"'{badge[0]}' is {badge[1]}, {meaning} is {colour}");
                }
            }

            await WorkflowBrowser.ScreenshotAsync(page, "legend");
            await page.Locator("#lang").ClickAsync();
            await Assertions.Expect(page.Locator("#legend li[data-meaning='failed']")).ToContainTextAsync("Call failed");
            await Assertions.Expect(page.Locator("#legend li[data-meaning='in-session']")).ToContainTextAsync("In session");
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_incident_view_shows_its_command_links_and_timeline_and_escalates_with_a_reason()
    {
        var title = "桂城内涝 " + Unique();
        var incident = (string)(await Admin.PostJsonAsync(
            "/api/incidents", new { title, type = "flood", severity = 4, regionCode = "440605011" }, HttpStatusCode.Created))["id"]!;
        await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = title + " 会商", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng" }, incidentId = incident },
            HttpStatusCode.Created);
        await Admin.PostJsonAsync($"/api/incidents/{incident}/feeds", new { feedId = "cam-police-daliang-01" });
        try
        {
            var page = await Browser.SignInAsync(TestUsers.For("emergency-officer", TestUsers.City));
            var card = page.Locator($"[data-incident='{incident}']");
            await Assertions.Expect(card.Locator(".badge.sev-4")).ToHaveTextAsync("IV 一般");
            await Assertions.Expect(card.Locator(".type")).ToHaveTextAsync("洪涝");
            await Assertions.Expect(card.Locator(".region")).ToHaveTextAsync("桂城街道");
            await Assertions.Expect(card.Locator(".command")).ToHaveTextAsync("区 · 南海区 · 南海区分会场");
            await Assertions.Expect(card.Locator(".linked-sessions")).ToContainTextAsync(title + " 会商");
            await Assertions.Expect(card.Locator(".linked-feeds")).ToContainTextAsync("大良清晖园周边治安监控");
            await Assertions.Expect(card.Locator(".timeline")).ToContainTextAsync("上报");
            await Assertions.Expect(card.Locator(".timeline time").First).ToHaveTextAsync(new Regex(@"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$"));

            await card.Locator("button[data-action='escalate']").ClickAsync();
            var dialog = page.Locator($"dialog.escalate-incident[data-incident='{incident}']");
            await Assertions.Expect(dialog).ToContainTextAsync("IV 一般 → III 较大");
            await dialog.Locator("button[data-action='confirm-escalate']").ClickAsync();
            await Assertions.Expect(page.Locator("#toast")).ToHaveTextAsync("升级需要填写原因");
            Assert.Equal(4, (int)(await Admin.GetJsonAsync($"/api/incidents/{incident}"))["severity"]!);
            await dialog.Locator("textarea").FillAsync("内涝范围扩大至多个镇街，需市级统一指挥");
            await dialog.Locator("button[data-action='confirm-escalate']").ClickAsync();

            await Assertions.Expect(card.Locator(".badge.sev-3")).ToHaveTextAsync("III 较大", new() { Timeout = 5000 });
            await Assertions.Expect(card.Locator(".command")).ToHaveTextAsync("市 · 佛山市 · 佛山市应急指挥中心（主会场）");
            await Assertions.Expect(card.Locator(".timeline")).ToContainTextAsync("内涝范围扩大至多个镇街");
            var after = await Admin.GetJsonAsync($"/api/incidents/{incident}");
            Assert.Equal(3, (int)after["severity"]!);
            Assert.Equal("fs-main", (string?)after["commandVenueId"]);
            Assert.Contains(after["timeline"]!.AsArray(), e => (string?)e!["action"] == "escalated" && ((string?)e["detail"])!.Contains("内涝范围扩大至多个镇街", StringComparison.Ordinal));
            await WorkflowBrowser.ScreenshotAsync(page, "incident-view");
        }
        finally
        {
            await CloseAsync(incident);
        }
    }

    private static string[] VenuesOf(JsonNode session) =>
        [.. session["venues"]!.AsArray().Select(v => (string)v!["venueId"]!).Order(StringComparer.Ordinal)];

    private static Task<string> Background(ILocator locator) => locator.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private static string Unique() => Guid.NewGuid().ToString("N")[..6];

    // A whole hour in China's time zone, far enough ahead and spread out that no other test's booking shares it.
    private static DateTimeOffset FreeSlot()
    {
        var china = TimeSpan.FromHours(8);
        var today = DateTimeOffset.UtcNow.ToOffset(china);
        return new DateTimeOffset(today.Year, today.Month, today.Day, 9, 0, 0, china)
            .AddDays(400 + Random.Shared.Next(0, 20000)).AddHours(Random.Shared.Next(0, 8));
    }

    private async Task CloseAsync(string incident) =>
        await Admin.PostAsJsonAsync($"/api/incidents/{incident}/status", new { status = "closed", sessions = "end" }, TestContext.Current.CancellationToken);
}
