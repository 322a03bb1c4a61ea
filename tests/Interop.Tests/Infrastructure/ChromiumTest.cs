using Command.Web.Tests.Dashboard;
using Interop.Tests.Sip;
using Microsoft.Playwright;

namespace Interop.Tests.Infrastructure;

/// <summary>
/// A test class driving Debian's Chromium, launched headless for each test beside the scratch folder
/// of its node. With <paramref name="fakeMedia"/> the browser has a fake camera and grants media at once;
/// with <paramref name="microphoneHz"/> its microphone is that tone.
/// </summary>
public abstract class ChromiumTest(string prefix, bool fakeMedia = false, int? microphoneHz = null) : WorkFolderTest(prefix), IAsyncLifetime
{
    private HeadlessChromium? chromium;

    protected IBrowser Browser => chromium?.Browser ?? throw new InvalidOperationException("Chromium is launched in InitializeAsync.");

    public async ValueTask InitializeAsync()
    {
        List<string> switches = fakeMedia ? ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] : [];
        if (microphoneHz is { } hz)
        {
            var microphone = Path.Combine(Work.FullName, "microphone.wav");
            Baresip.WriteTone(microphone, hz, 48000);
            switches.Add($"--use-file-for-fake-audio-capture={microphone}");
        }

        chromium = await HeadlessChromium.LaunchAsync([.. switches]);
    }

    public async ValueTask DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }

        Dispose();
    }
}
