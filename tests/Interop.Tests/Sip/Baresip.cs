using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interop.Tests.Sip;

/// <summary>
/// A real baresip user agent (Debian's baresip-core) in a private config folder: no audio device,
/// a sine tone as microphone, listening on loopback only.
/// </summary>
public sealed class Baresip : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly DirectoryInfo folder;

    private Baresip(Process process, DirectoryInfo folder)
    {
        this.process = process;
        this.folder = folder;
    }

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
    /// Starts baresip with one account. With <paramref name="toneHz"/> it is a full venue terminal:
    /// it answers calls by itself, speaks that tone (8 kHz, from a file) and sends a VP8 test picture of
    /// <paramref name="videoSize"/>; with <paramref name="recordTo"/> (a folder) what it hears is dumped there as WAV.
    /// With <paramref name="h264"/> it also offers H.264 through libavcodec (Debian's baresip-ffmpeg), as a camera's picture needs.
    /// </summary>
    public static Baresip Start(string account, int? toneHz = null, string videoSize = "320x240", string? recordTo = null, bool h264 = false)
    {
        Assert.True(!h264 || File.Exists("/usr/lib/baresip/modules/avcodec.so"), "baresip's H.264 is not installed (apt-get install baresip-ffmpeg)");
        Assert.True(File.Exists("/usr/bin/baresip"), "baresip is not installed (apt-get install baresip-core)");
        var folder = Directory.CreateTempSubdirectory("baresip-");
        var tone = Path.Combine(folder.FullName, "tone.wav");
        WriteTone(tone, toneHz ?? 440);
        string[] media = toneHz is null ? [] :
        [
            "video_source fakevideo,nil",
            "video_display fakevideo,nil",
            $"video_size {videoSize}",
            "video_bitrate 300000",
            "video_fps 15",
            "module fakevideo.so",
            "module vp8.so",
            .. (h264 ? ["module avcodec.so"] : Array.Empty<string>()),
        ];
        File.WriteAllText(Path.Combine(folder.FullName, "config"), string.Join('\n', [
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{FreeUdpPort().ToString(CultureInfo.InvariantCulture)}",
            "sip_transports udp",
            "audio_player aufile,/dev/null",
            $"audio_source aufile,{tone}",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            .. media,
            .. (recordTo is null ? Array.Empty<string>() : ["module sndfile.so", $"snd_path {recordTo}"]),
            "module_tmp account.so",
            ""]));
        account = toneHz is null ? account : account + ";answermode=auto";
        File.WriteAllText(Path.Combine(folder.FullName, "accounts"), account + "\n");
        var info = new ProcessStartInfo("/usr/bin/baresip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(folder.FullName);
        info.ArgumentList.Add("-t");
        info.ArgumentList.Add("60");
        var process = new Process { StartInfo = info };
        var baresip = new Baresip(process, folder);
        process.OutputDataReceived += (_, e) => baresip.Append(e.Data);
        process.ErrorDataReceived += (_, e) => baresip.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return baresip;
    }

    /// <summary>A full venue terminal of the loopback topology: extension <paramref name="extension"/> (password fs-EXT-Sample!) registered with the bridge on <paramref name="sipPort"/>.</summary>
    public static Baresip StartVenue(int sipPort, string extension, int toneHz, string videoSize = "320x240", string? recordTo = null, bool h264 = false) =>
        Start($"<sip:{extension}@127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}>;auth_pass=fs-{extension}-Sample!;regint=600", toneHz, videoSize, recordTo, h264);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A minute of sine tone as 16-bit mono WAV; 8 kHz by default, the rate baresip's G.711 path takes without resampling.</summary>
    public static void WriteTone(string path, int hz, int rate = 8000)
    {
        var samples = rate * 60;
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8);
        w.Write(36 + (samples * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 2);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            w.Write((short)(8000 * Math.Sin(2 * Math.PI * hz * i / rate)));
        }
    }

    /// <summary>
    /// A port free for baresip's SIP on UDP and TCP, with the next one free for the TLS listener it
    /// opens there too; the system's free UDP port alone may already be taken for TCP.
    /// </summary>
    private static int FreeUdpPort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            var usable = port < 65535 && CanBind(SocketType.Stream, ProtocolType.Tcp, port)
                && CanBind(SocketType.Stream, ProtocolType.Tcp, port + 1) && CanBind(SocketType.Dgram, ProtocolType.Udp, port + 1);
            if (usable || attempt == 50)
            {
                return port;
            }
        }
    }

    private static bool CanBind(SocketType type, ProtocolType protocol, int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
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
}
