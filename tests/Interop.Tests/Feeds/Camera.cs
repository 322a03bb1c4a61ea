using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Feeds;

/// <summary>
/// A real camera stand-in as its own process on loopback: GStreamer's RTSP server (python3-gi,
/// optionally behind digest auth), VLC's RTSP server (vlc-bin, UDP transport only) serving an
/// H.264 clip ffmpeg made, or ffmpeg pushing RTP. <see cref="Kill"/> is a SIGKILL and
/// <see cref="RestartAsync"/> runs the same command again, as a camera losing power and coming back.
/// </summary>
public sealed class Camera : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string Vlc = "/usr/bin/cvlc";
    private const string Ffmpeg = "/usr/bin/ffmpeg";

    private readonly ProcessStartInfo start;
    private readonly Func<Camera, Task> ready;
    private readonly StringBuilder output = new();
    private readonly DirectoryInfo? folder;
    private Process? process;

    private Camera(string url, ProcessStartInfo start, Func<Camera, Task> ready, DirectoryInfo? folder)
    {
        Url = url;
        this.start = start;
        this.ready = ready;
        this.folder = folder;
    }

    /// <summary>What a feed registers: rtsp://127.0.0.1:PORT/cam for a served camera, the bridge's port for a pushed one.</summary>
    public string Url { get; }

    public int? ProcessId => process is { HasExited: false } p ? p.Id : null;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// GStreamer's RTSP server with a moving test picture: <paramref name="keyint"/> pictures per keyframe,
    /// and with <paramref name="credentials"/> ("user:password") only a digest-authenticated client may play it.
    /// </summary>
    public static async Task<Camera> GstreamerAsync(int fps = 15, int keyint = 15, string size = "352x288", string? credentials = null, int kbps = 500)
    {
        Assert.True(File.Exists(Python), "python3 is not installed");
        var port = Ports.Free();
        var info = Info(Python, Path.Combine(AppContext.BaseDirectory, "Feeds", "rtsp_camera.py"), Text(port), Text(fps), Text(keyint), size, credentials ?? "", Text(kbps));
        var camera = new Camera($"rtsp://127.0.0.1:{Text(port)}/cam", info, c => c.WaitForLineAsync("ready"), null);
        await camera.StartAsync();
        return camera;
    }

    /// <summary>
    /// VLC's own RTSP server (cvlc, the stream_out rtp module) looping an H.264 clip of <paramref name="size"/>
    /// that ffmpeg makes first. VLC serves RTP over UDP only and refuses to run as root, so as root it runs as nobody.
    /// </summary>
    public static async Task<Camera> VlcAsync(string size = "384x216", int fps = 15, int gop = 15)
    {
        Assert.True(File.Exists(Vlc), "VLC is not installed (apt-get install vlc-bin vlc-plugin-base)");
        var folder = Directory.CreateTempSubdirectory("camera-vlc-");
        var clip = Path.Combine(folder.FullName, "clip.mp4");
        await RunToEndAsync(Ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc=size={size}:rate={Text(fps)}", "-t", "20",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", Text(gop), "-b:v", "500k", clip);
        if (!OperatingSystem.IsWindows())
        {
            // Readable by nobody, whom VLC runs as under root.
            folder.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(clip, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        var port = Ports.Free();
        string[] vlc = [Vlc, "--no-interact", "-q", "--loop", clip, "--sout", $"#rtp{{sdp=rtsp://127.0.0.1:{Text(port)}/cam}}", "--sout-keep"];
        var info = Environment.UserName == "root"
            ? Info("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. vlc])
            : Info(vlc[0], vlc[1..]);
        info.Environment["HOME"] = folder.FullName;
        var camera = new Camera($"rtsp://127.0.0.1:{Text(port)}/cam?transport=udp", info, c => c.WaitListeningAsync(port), folder);
        await camera.StartAsync();
        return camera;
    }

    /// <summary>ffmpeg pushing an H.264 test picture as RTP to <paramref name="port"/> on loopback, where a feed's rtp:// URL listens.</summary>
    public static Task<Camera> FfmpegPushAsync(int port, string size = "320x240", int fps = 15, int gop = 15, int kbps = 1000) =>
        FfmpegAsync($"rtp://127.0.0.1:{Text(port)}", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={Text(fps)}",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", Text(gop),
            "-b:v", $"{Text(kbps)}k", "-maxrate", $"{Text(kbps)}k", "-bufsize", $"{Text(kbps / 2)}k", "-f", "rtp", $"rtp://127.0.0.1:{Text(port)}?pkt_size=1200");

    /// <summary>ffmpeg with a test's own <paramref name="arguments"/>, as the camera that a feed registering <paramref name="url"/> reaches.</summary>
    public static async Task<Camera> FfmpegAsync(string url, params string[] arguments)
    {
        var camera = new Camera(url, Info(Ffmpeg, arguments), _ => Task.CompletedTask, null);
        await camera.StartAsync();
        return camera;
    }

    /// <summary>SIGKILL, as a camera that loses power: no RTSP TEARDOWN, no RTCP BYE.</summary>
    public void Kill()
    {
        if (process is { } p)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
            process = null;
        }
    }

    /// <summary>The same camera, on the same port, started again after <see cref="Kill"/>.</summary>
    public Task RestartAsync()
    {
        Kill();
        return StartAsync();
    }

    public void Dispose()
    {
        Kill();
        try
        {
            folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartAsync()
    {
        lock (output)
        {
            output.Clear();
        }

        var p = new Process { StartInfo = start };
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        process = p;
        try
        {
            await ready(this).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The camera {start.FileName} {string.Join(' ', start.ArgumentList)} did not start:\n{Output}");
        }
    }

    private async Task WaitForLineAsync(string line)
    {
        while (!Output.Split('\n').Any(l => l.Trim() == line))
        {
            Assert.False(process!.HasExited, $"The camera exited:\n{Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private async Task WaitListeningAsync(int port)
    {
        while (true)
        {
            Assert.False(process!.HasExited, $"The camera exited:\n{Output}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task RunToEndAsync(string file, params string[] arguments)
    {
        using var p = Process.Start(Info(file, arguments))!;
        var errors = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(p.ExitCode == 0, $"{file} failed: {await errors}");
    }

    private static ProcessStartInfo Info(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
