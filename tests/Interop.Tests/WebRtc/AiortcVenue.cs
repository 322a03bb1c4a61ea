using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Interop.Tests.WebRtc;

/// <summary>
/// A scripted browser venue: Debian's aiortc (python3-aiortc) sending a tone and a moving picture,
/// reporting what it decodes. The test carries its offer and answer over HTTP itself.
/// </summary>
public sealed class AiortcVenue : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly Process process;
    private readonly List<string> errors = [];
    private JsonNode? last;

    private AiortcVenue(Process process) => this.process = process;

    public JsonNode? Status
    {
        get
        {
            lock (errors)
            {
                return last;
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return string.Join('\n', errors);
            }
        }
    }

    public int VideoFrames => (int?)Status?["video"] ?? 0;

    public int AudioFrames => (int?)Status?["audio"] ?? 0;

    public double Tone(int hz) => (double?)Status?["tones"]?[hz.ToString(CultureInfo.InvariantCulture)] ?? 0;

    public static AiortcVenue Start(int toneHz, IEnumerable<int> listenHz, TimeSpan limit)
    {
        Assert.True(File.Exists(Python) && Directory.Exists("/usr/lib/python3/dist-packages/aiortc"), "aiortc is not installed (apt-get install python3-aiortc)");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebRtc", "aiortc_venue.py"));
        info.ArgumentList.Add(toneHz.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(string.Join(',', listenHz));
        info.ArgumentList.Add(limit.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var venue = new AiortcVenue(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (venue.errors)
                {
                    venue.errors.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return venue;
    }

    /// <summary>Its SDP offer, once aiortc has gathered candidates.</summary>
    public async Task<string> OfferAsync(CancellationToken cancel)
    {
        var line = await process.StandardOutput.ReadLineAsync(cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancel)
            ?? throw new InvalidOperationException($"aiortc ended before its offer:\n{Errors}");
        return (string)JsonNode.Parse(line)!["offer"]!;
    }

    /// <summary>Hands it the answer and starts reading its status lines.</summary>
    public async Task AnswerAsync(string sdp)
    {
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { answer = sdp }));
        await process.StandardInput.FlushAsync();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var status = JsonNode.Parse(line);
                lock (errors)
                {
                    last = status;
                }
            }
        });
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }
}
