using System.Net;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>Debian's Chromium, driven by Playwright, against the dashboard served by a running node.</summary>
public sealed class DashboardBrowserTests(BrowserNodeFactory node) : BrowserTest(node)
{
    [Fact]
    public async Task Pressing_broadcast_in_one_window_updates_the_other_without_reload()
    {
        var chair = TestUsers.For("chair-operator", TestUsers.City);
        var created = await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = "高明浏览器演练", kind = "emergency", chairVenueId = "fs-gaoming", venueIds = new[] { "fs-gaoming-yanghe", "fs-gaoming-genghe" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var first = await Browser.SignInAsync(chair);
            var second = await Browser.SignInAsync(chair);
            var card = $"[data-session='{id}']";
            await Assertions.Expect(first.Locator("#venue-tree")).ToContainTextAsync("禅城区");
            await Assertions.Expect(first.Locator("#venue-tree")).ToContainTextAsync("杨和镇分会场");
            await Assertions.Expect(second.Locator($"{card} .broadcast")).ToHaveTextAsync("高明区分会场");
            var loads = 0;
            second.Load += (_, _) => loads++;

            await first.Locator($"{card} tr[data-venue='fs-gaoming-yanghe'] button[data-action='broadcast']").ClickAsync();

            await Assertions.Expect(second.Locator($"{card} .broadcast")).ToHaveTextAsync("杨和镇分会场", new() { Timeout = 5000 });
            await Assertions.Expect(second.Locator($"{card} tr[data-venue='fs-gaoming-genghe'] .viewing")).ToHaveTextAsync("杨和镇分会场");
            await Assertions.Expect(second.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("conn-live"));
            Assert.Equal(0, loads);

            await second.Locator("#lang").ClickAsync();
            await Assertions.Expect(second.Locator($"{card} button[data-action='end']")).ToHaveTextAsync("End");

            var shots = Path.Combine(CommandApiFactory.RepositoryFile("TestResults"), "screenshots");
            Directory.CreateDirectory(shots);
            await first.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-zh.png"), FullPage = true });
            await second.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard-en.png"), FullPage = true });
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_chair_action_that_meets_a_503_is_tried_again_after_retry_after_and_lands()
    {
        var chair = TestUsers.For("chair-operator", TestUsers.City);
        var created = await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = "高明故障切换演练", kind = "emergency", chairVenueId = "fs-gaoming", venueIds = new[] { "fs-gaoming-yanghe" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var page = await Browser.SignInAsync(chair);
            var card = $"[data-session='{id}']";
            await Assertions.Expect(page.Locator($"{card} .broadcast")).ToHaveTextAsync("高明区分会场");

            // The first attempt meets a cluster that is moving a dead silo's grains; the page must wait and try again.
            var attempts = 0;
            await page.RouteAsync($"**/api/sessions/{id}/broadcast", async route =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await route.FulfillAsync(new()
                    {
                        Status = 503,
                        Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                        ContentType = "application/problem+json",
                        Body = """{"status":503,"title":"Temporarily unavailable"}""",
                    });
                }
                else
                {
                    await route.ContinueAsync();
                }
            });

            await page.Locator($"{card} tr[data-venue='fs-gaoming-yanghe'] button[data-action='broadcast']").ClickAsync();

            await Assertions.Expect(page.Locator($"{card} .broadcast")).ToHaveTextAsync("杨和镇分会场", new() { Timeout = 10000 });
            Assert.Equal(2, attempts);
            Assert.Equal("fs-gaoming-yanghe", (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}"))["broadcastVenueId"]);
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_roster_shows_the_leg_and_the_venue_status_by_the_rule_never_a_bare_joined()
    {
        var chair = TestUsers.For("chair-operator", TestUsers.City);
        var created = await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = "状态一致演练", kind = "emergency", chairVenueId = "fs-shunde", venueIds = new[] { "fs-shunde-daliang" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var page = await Browser.SignInAsync(chair);
            var row = page.Locator($"[data-session='{id}'] tr[data-venue='fs-shunde-daliang'] td.state");
            await Assertions.Expect(row.Locator(".badge.status-offline")).ToHaveCountAsync(1);
            await Assertions.Expect(row.Locator(".badge.p-joined")).ToHaveCountAsync(0);
            await Assertions.Expect(row.Locator(".badge[class*='leg-']")).ToHaveCountAsync(1);

            var venue = Node.Services.GetRequiredService<IGrainFactory>().GetGrain<Command.Contracts.Venues.IVenueGrain>("fs-shunde-daliang");
            await venue.ReportLegAsync(new(id, "test-bridge", Command.Contracts.Media.LegState.Connected, TimeSpan.FromMinutes(1)));

            await Assertions.Expect(row.Locator(".badge.status-in-session")).ToHaveCountAsync(1, new() { Timeout = 5000 });
            await venue.ReportLegAsync(new(id, "test-bridge", Command.Contracts.Media.LegState.Dropped, TimeSpan.Zero));
            await Assertions.Expect(row.Locator(".badge.status-offline")).ToHaveCountAsync(1, new() { Timeout = 5000 });
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_dashboard_shows_an_automatic_takeover_and_closing_asks_about_the_sessions()
    {
        var incident = (string)(await Admin.PostJsonAsync(
            "/api/incidents", new { title = "南海内涝演练", type = "flood", severity = 4, regionCode = "440605" }, HttpStatusCode.Created))["id"]!;
        var id = (string)(await Admin.PostJsonAsync(
            "/api/sessions",
            new
            {
                title = "南海自动备用演练", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai-dali" },
                incidentId = incident, autoBackup = new { enabled = true, afterSeconds = 1 },
            },
            HttpStatusCode.Created))["id"]!;
        try
        {
            var page = await Browser.SignInAsync(TestUsers.Admin);
            var card = page.Locator($"[data-session='{id}']");
            await Assertions.Expect(card.Locator(".badge.auto-on")).ToHaveTextAsync("自动备用 1秒");
            await Assertions.Expect(card.Locator(".badge.flag-auto-replaced")).ToContainTextAsync("已自动替换为 佛山市备用分会场", new() { Timeout = 10000 });

            await page.Locator($"[data-incident='{incident}'] button[data-action='close']").ClickAsync();
            var dialog = page.Locator($"dialog[data-incident='{incident}']");
            await Assertions.Expect(dialog).ToContainTextAsync("南海自动备用演练");
            await dialog.Locator("select").SelectOptionAsync("keep");
            await dialog.Locator("button[data-action='confirm-close']").ClickAsync();
            await Assertions.Expect(page.Locator("#toast")).ToHaveTextAsync("保留会议需要填写原因");
            await Assertions.Expect(dialog).ToBeVisibleAsync();

            await dialog.Locator("select").SelectOptionAsync("end");
            await dialog.Locator("button[data-action='confirm-close']").ClickAsync();

            await Assertions.Expect(page.Locator($"[data-incident='{incident}'] .badge.is-closed")).ToHaveTextAsync("已关闭", new() { Timeout = 5000 });
            await Assertions.Expect(card).ToHaveCountAsync(0);
            Assert.Equal("incident closed", (string?)(await Admin.GetJsonAsync($"/api/sessions/{id}"))["endReason"]);
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_venue_page_and_the_role_read_in_chinese_and_switch_to_english()
    {
        var page = await Browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City));
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("主会场操作员");

        await page.GotoAsync(Node.Url + "/venue.html");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("会场终端");
        await Assertions.Expect(page.Locator("#join-button")).ToHaveTextAsync("入会");
        await Assertions.Expect(page.Locator("#media-state")).ToHaveTextAsync("未入会");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("主会场操作员");
        Assert.DoesNotContain("venue.", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("#lang").ClickAsync();

        await Assertions.Expect(page.Locator("#join-button")).ToHaveTextAsync("Join");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("Chair operator");
    }

    [Fact]
    public async Task An_attached_feed_is_listed_with_its_status_and_broadcast_from_the_session_card()
    {
        var created = await Admin.PostJsonAsync(
            "/api/sessions",
            new { title = "顺德监控调度", kind = "emergency", chairVenueId = "fs-shunde", venueIds = new[] { "fs-shunde-ronggui" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            await Admin.PostJsonAsync($"/api/sessions/{id}/feeds", new { feedId = "cam-police-daliang-01" });
            var page = await Browser.SignInAsync(TestUsers.Admin, clientAddress: "10.77.0.1");
            var feed = page.Locator($"[data-session='{id}'] li[data-feed='cam-police-daliang-01']");
            await Assertions.Expect(feed).ToContainTextAsync("大良清晖园周边治安监控");
            // No camera serves the sample's address, so the node's bridge is trying it, or waiting to try again.
            await Assertions.Expect(feed.Locator(".badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(离线|连接中)$"));

            await feed.Locator("button[data-action='broadcast-feed']").ClickAsync();

            await Assertions.Expect(page.Locator($"[data-session='{id}'] .broadcast")).ToHaveTextAsync("监控 大良清晖园周边治安监控", new() { Timeout = 5000 });
            await Assertions.Expect(page.Locator($"[data-session='{id}'] tr[data-venue='fs-shunde-ronggui'] .viewing")).ToContainTextAsync("大良清晖园");
            await page.Locator("#lang").ClickAsync();
            await Assertions.Expect(page.Locator($"[data-session='{id}'] .broadcast")).ToHaveTextAsync("Camera 大良清晖园周边治安监控");
            await Assertions.Expect(feed.Locator(".badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Offline|Connecting)$"));
        }
        finally
        {
            await Admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_sign_in_page()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(Node.Url + "/");
        await page.WaitForURLAsync("**/login.html");

        await page.FillAsync("#username", TestUsers.For("viewer", TestUsers.City));
        await page.FillAsync("#password", "wrong");
        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("wrong password");
    }
}
