using System.Net;
using Command.Web.Auth;
using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>The sign-in page's one-time-code step and the admin users page, in Debian's Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInPageTests(BrowserNodeFactory node) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "Browser-Pass-42";
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        node.StartServer();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task The_sign_in_page_asks_for_the_code_of_a_user_with_a_second_factor()
    {
        using var admin = await AdminAsync();
        var name = "browser-" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostJsonAsync("/api/users", new { name, password = Password, role = "admin", region = TestUsers.City }, HttpStatusCode.Created);
        var secret = (string)(await admin.PostJsonAsync($"/api/users/{name}/totp", null))["secret"]!;
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(node.Url + "/login.html");
        await Assertions.Expect(page.Locator("#code-field")).ToBeHiddenAsync();

        await page.FillAsync("#username", name);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#code-field")).ToBeVisibleAsync();
        Assert.True(Base32.TryDecode(secret, out var key));
        await page.FillAsync("#code", Totp.Code(key, Totp.StepAt(DateTimeOffset.UtcNow)));
        await page.ClickAsync("#sign-in");

        await page.WaitForURLAsync(node.Url + "/");
        await Assertions.Expect(page.Locator("#users-link")).ToBeVisibleAsync();
        await page.ClickAsync("#users-link");
        await Assertions.Expect(page.Locator("#users tbody")).ToContainTextAsync(name);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri(node.Url) };
        var token = (string)(await http.PostJsonAsync("/api/auth/token", new { username = TestUsers.Admin, password = TestUsers.PasswordOf(TestUsers.Admin) }))["accessToken"]!;
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }
}
