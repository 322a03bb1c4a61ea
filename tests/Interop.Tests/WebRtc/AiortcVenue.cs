using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Interop.Tests.WebRtc;

/// <summary>
/// A scripted browser venue: Debian's aiortc (python3-aiortc) sending a tone and a moving picture,
/// reporting what it decodes. The test carries its offer and answer over HTTP itself, and tells it
/// to rejoin with a fresh offer when the page would (its session moved to another bridge).
/// </summary>
public sealed class AiortcVenue : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly Process process;
    private readonly List<string> errors = [];
    private readonly Channel<string> offers = Channel.CreateUnbounded<string>();
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

    /// <summary>The size of the picture it decodes now, as "WxH", or null before its first frame.</summary>
    public string? VideoSize => Status?["size"] is JsonArray { Count: 2 } size ? $"{(int)size[0]!}x{(int)size[1]!}" : null;

    /// <summary>When (Unix ms, its own clock) it first decoded a picture of the size it decodes now.</summary>
    public long? VideoSizeAt => (long?)Status?["sizeAt"];

    public int AudioFrames => (int?)Status?["audio"] ?? 0;

    /// <summary>How many times it has offered to join, the first included.</summary>
    public int Joins => (int?)Status?["joins"] ?? 1;

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
        _ = Task.Run(venue.ReadAsync);
        return venue;
    }

    /// <summary>Its next SDP offer, once aiortc has gathered candidates.</summary>
    public async Task<string> OfferAsync(CancellationToken cancel)
    {
        try
        {
            return await offers.Reader.ReadAsync(cancel).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancel);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"aiortc ended before its offer:\n{Errors}");
        }
    }

    /// <summary>Hands it the answer to its latest offer.</summary>
    public Task AnswerAsync(string sdp) => SendAsync(new { answer = sdp });

    /// <summary>Drops its connection and offers afresh, as the page does when its session's media moves.</summary>
    public async Task<string> RejoinAsync(CancellationToken cancel)
    {
        await SendAsync(new { rejoin = true });
        return await OfferAsync(cancel);
    }

    private async Task SendAsync(object message)
    {
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await process.StandardInput.FlushAsync();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var message = JsonNode.Parse(line);
                if (message?["offer"] is { } offer)
                {
                    offers.Writer.TryWrite((string)offer!);
                    continue;
                }

                lock (errors)
                {
                    last = message;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or JsonException or InvalidOperationException)
        {
            lock (errors)
            {
                errors.Add(e.Message);
            }
        }
        finally
        {
            offers.Writer.TryComplete();
        }
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
