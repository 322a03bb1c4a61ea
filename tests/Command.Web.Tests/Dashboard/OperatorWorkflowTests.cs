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
[Collection(BrowserCollection.Name)]
public sealed class OperatorWorkflowTests(BrowserNodeFactory node) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly WorkflowBrowser browser = new(node);

    private HttpClient Admin => browser.Admin;

    public async ValueTask InitializeAsync() => await browser.StartAsync();

    public ValueTask DisposeAsync() => browser.DisposeAsync();

    [Fact]
    public async Task Ticking_a_district_ticks_its_townships_and_the_session_has_them()
    {
        var title = "三水区防汛视频调度 " + Unique();
        var page = await browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City));
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
            var venue = node.Services.GetRequiredService<IGrainFactory>().GetGrain<Command.Contracts.Venues.IVenueGrain>("fs-shunde-beijiao");
            await venue.ReportLegAsync(new(id, "test-bridge", Command.Contracts.Media.LegState.Connected, TimeSpan.FromMinutes(1)));
            var page = await browser.SignInAsync(TestUsers.For("chair-operator", TestUsers.City));
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

    private static string[] VenuesOf(JsonNode session) =>
        [.. session["venues"]!.AsArray().Select(v => (string)v!["venueId"]!).Order(StringComparer.Ordinal)];

    private static Task<string> Background(ILocator locator) => locator.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private static string Unique() => Guid.NewGuid().ToString("N")[..6];
}
