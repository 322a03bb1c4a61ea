using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// Debian's Chromium for the operator workflow tests: pages signed in as a user, in Chinese and in China's time zone,
/// an admin API client to check what the page did, and full-page screenshots in the test output.
/// </summary>
public sealed class WorkflowBrowser(BrowserNodeFactory node) : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private static int clients;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public HttpClient Admin { get; } = new() { BaseAddress = new Uri(node.Url) };

    public async Task StartAsync()
    {
        node.StartServer();
        Assert.True(File.Exists(Chromium), "chromium is not installed (apt-get install chromium)");
        Admin.DefaultRequestHeaders.Authorization = new("Bearer", await node.TokenAsync(TestUsers.Admin));
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>
    /// Signs in through the page from an address of its own, so the sign-in limit is not shared; <paramref name="prepare"/>
    /// runs on the new page before it loads anything (to route its requests, say).
    /// </summary>
    public async Task<IPage> SignInAsync(string user, Func<IPage, Task>? prepare = null)
    {
        var context = await browser!.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1600, Height = 1000 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ExtraHTTPHeaders = new Dictionary<string, string> { [TestClientAddress.Header] = $"10.79.0.{Interlocked.Increment(ref clients)}" },
        });
        var page = await context.NewPageAsync();
        if (prepare is not null)
        {
            await prepare(page);
        }

        await page.GotoAsync(node.Url + "/login.html");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", TestUsers.PasswordOf(user));
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(node.Url + "/");
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("conn-live"));
        return page;
    }

    /// <summary>A full-page screenshot under the test output's screenshots folder; its path goes to the test log.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine("screenshot: " + path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
