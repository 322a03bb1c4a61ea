using System.Text.RegularExpressions;
using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// Debian's Chromium for the dashboard tests: pages signed in as a user, each from an address of its own so the sign-in limit
/// is not shared (with <paramref name="inChina"/>, in Chinese and in China's time zone), an admin API client to check what
/// the page did, and full-page screenshots in the test output.
/// </summary>
public sealed class WorkflowBrowser(BrowserNodeFactory node, bool inChina = false, params string[] switches) : IAsyncDisposable
{
    private static int clients;
    private HeadlessChromium? chromium;

    public HttpClient Admin { get; } = new() { BaseAddress = new Uri(node.Url) };

    private IBrowser Browser => chromium?.Browser ?? throw new InvalidOperationException("The browser starts in StartAsync.");

    public async Task StartAsync()
    {
        node.StartServer();
        Admin.DefaultRequestHeaders.Authorization = new("Bearer", await node.TokenAsync(TestUsers.Admin));
        chromium = await HeadlessChromium.LaunchAsync(inChina ? ["--lang=zh-CN", .. switches] : switches);
    }

    /// <summary>A page in a fresh context of its own, not signed in.</summary>
    public async Task<IPage> NewPageAsync() => await (await Browser.NewContextAsync()).NewPageAsync();

    /// <summary>
    /// Signs in through the page; <paramref name="prepare"/> runs on the new page before it loads anything (to route its
    /// requests, say), and <paramref name="clientAddress"/> chooses the address it signs in from.
    /// </summary>
    public async Task<IPage> SignInAsync(string user, Func<IPage, Task>? prepare = null, string? clientAddress = null)
    {
        var client = Interlocked.Increment(ref clients);
        var context = await Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1600, Height = 1000 },
            Locale = inChina ? "zh-CN" : null,
            TimezoneId = inChina ? "Asia/Shanghai" : null,
            ExtraHTTPHeaders = new Dictionary<string, string> { [TestClientAddress.Header] = clientAddress ?? $"10.79.{client / 250}.{(client % 250) + 1}" },
        });
        var page = await context.NewPageAsync();
        if (prepare is not null)
        {
            await prepare(page);
        }

        await LoginPage.SignInAsync(page, node.Url, user, TestUsers.PasswordOf(user));
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new Regex("conn-live"));
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
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }
    }
}
