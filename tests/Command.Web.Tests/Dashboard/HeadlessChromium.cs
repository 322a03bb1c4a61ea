using Microsoft.Playwright;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, launched by Playwright with the switches every browser test needs on a build machine;
/// the interop tests link this file rather than copy it.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private const string Executable = "/usr/bin/chromium";
    private readonly IPlaywright playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Launches it with <paramref name="switches"/> beyond the usual ones (a language, fake media devices, autoplay).</summary>
    public static async Task<HeadlessChromium> LaunchAsync(params string[] switches)
    {
        Assert.True(File.Exists(Executable), "chromium is not installed (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Executable,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. switches],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
