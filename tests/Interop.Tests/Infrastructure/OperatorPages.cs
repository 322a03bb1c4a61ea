using Command.Silo.Tests.Infrastructure;
using Command.Web.Tests.Dashboard;
using Microsoft.Playwright;

namespace Interop.Tests.Infrastructure;

/// <summary>Command's pages as the operator opens them in Chromium: through the login page, and the venue page up to joining.</summary>
public static class OperatorPages
{
    /// <summary>A new page on the node at its login page, not yet signed in.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, SiloProcess node)
    {
        var page = await browser.NewPageAsync(new() { BaseURL = BaseUrl(node) });
        await page.GotoAsync("/login.html");
        return page;
    }

    /// <summary>Signs <paramref name="page"/> in as the operator on the login page, which then goes on to <paramref name="next"/>.</summary>
    public static Task SignInAsync(IPage page, SiloProcess node, string next = "/") =>
        LoginPage.SignInAsync(page, BaseUrl(node), SiloProcess.Operator, SiloProcess.OperatorPassword, next);

    /// <summary>The venue page as <paramref name="venueId"/>, signed in, with <paramref name="sessionId"/> chosen and its join button enabled.</summary>
    public static async Task<IPage> OpenVenueAsync(IBrowser browser, SiloProcess node, string venueId, string sessionId)
    {
        var page = await browser.NewPageAsync(new() { BaseURL = BaseUrl(node) });
        await SignInAsync(page, node, $"/venue.html?venue={venueId}&session={sessionId}");
        await page.WaitForSelectorAsync($"#session option[value='{sessionId}']", new() { State = WaitForSelectorState.Attached });
        await page.WaitForSelectorAsync("#join-button:not([disabled])");
        return page;
    }

    /// <summary>Joins with the venue page's button and waits for its media to connect.</summary>
    public static async Task JoinAsync(IPage page)
    {
        await page.ClickAsync("#join-button");
        await page.WaitForSelectorAsync("#media-state[data-state='connected']", new() { Timeout = 20_000 });
    }

    private static string BaseUrl(SiloProcess node) => $"http://127.0.0.1:{node.HttpPort}";
}
