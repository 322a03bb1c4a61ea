using System.Net;
using Command.Web.Auth;
using Command.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>The sign-in page's one-time-code step and the admin users page, in Debian's Chromium.</summary>
public sealed class SignInPageTests(BrowserNodeFactory node) : BrowserTest(node)
{
    private const string Password = "Browser-Pass-42";

    [Fact]
    public async Task The_sign_in_page_asks_for_the_code_of_a_user_with_a_second_factor()
    {
        var name = "browser-" + Guid.NewGuid().ToString("N")[..8];
        await Admin.PostJsonAsync("/api/users", new { name, password = Password, role = "admin", region = TestUsers.City }, HttpStatusCode.Created);
        var secret = (string)(await Admin.PostJsonAsync($"/api/users/{name}/totp", null))["secret"]!;
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(Node.Url + "/login.html");
        await Assertions.Expect(page.Locator("#code-field")).ToBeHiddenAsync();

        await page.FillAsync("#username", name);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#code-field")).ToBeVisibleAsync();
        Assert.True(Base32.TryDecode(secret, out var key));
        await page.FillAsync("#code", Totp.Code(key, Totp.StepAt(DateTimeOffset.UtcNow)));
        await page.ClickAsync("#sign-in");

        await page.WaitForURLAsync(Node.Url + "/");
        await Assertions.Expect(page.Locator("#users-link")).ToBeVisibleAsync();
        await page.ClickAsync("#users-link");
        await Assertions.Expect(page.Locator("#users tbody")).ToContainTextAsync(name);
    }
}
