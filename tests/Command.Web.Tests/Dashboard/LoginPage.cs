using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>Signing in through the node's login page as a person does; the interop tests link this file rather than copy it.</summary>
public static class LoginPage
{
    /// <summary>
    /// Opens the login page of the node at <paramref name="baseUrl"/> (asked to go on to <paramref name="next"/>), signs in
    /// and waits until the page has gone on there.
    /// </summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string user, string password, string next = "/")
    {
        await page.GotoAsync(baseUrl + (next == "/" ? "/login.html" : $"/login.html?next={Uri.EscapeDataString(next)}"));
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        var landing = new Uri(new Uri(baseUrl), next).AbsolutePath;
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == landing);
    }
}
