using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

using Interop.Tests.WebRtc;

namespace Interop.Tests.Sip;

/// <summary>
/// A real linphonec (Debian's linphone-cli) as a venue terminal, in a private HOME and config file: registered
/// with a venue's SIP user and digest password, answering calls by itself, UDP on loopback only. With no sound
/// card it runs in linphonec's file mode: it speaks a sine tone from a WAV file and records what it hears to
/// another. Commands go in on standard input, as an operator would type them.
/// </summary>
public sealed class Linphone : IDisposable
{
    /// <summary>The bridge offers G.711 only, so what linphonec records is 8 kHz.</summary>
    public const int RecordRate = 8000;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly DirectoryInfo home;

    private Linphone(Process process, DirectoryInfo home)
    {
        this.process = process;
        this.home = home;
    }

    /// <summary>What linphonec printed at its prompt: its own account of calls coming, answered and ended.</summary>
    public string Printed
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>What it printed, then the end of its debug log: both are wanted when a test fails.</summary>
    public string Output => $"{Printed}\n--- linphonec log (tail) ---\n{LogTail(200)}";

    public string HeardFile => Path.Combine(home.FullName, "heard.wav");

    /// <summary>
    /// Starts linphonec registered as <paramref name="user"/> with <paramref name="password"/> at the bridge on
    /// <paramref name="sipPort"/>, speaking <paramref name="toneHz"/>, auto-answering unless told not to. With
    /// <paramref name="camera"/> it also sends video (capture only, no display): mediastreamer's static picture in VP8.
    /// </summary>
    public static Linphone Start(string user, string password, int sipPort, int toneHz, bool autoAnswer = true, bool camera = false)
    {
        Assert.True(File.Exists("/usr/bin/linphonec"), "linphonec is not installed (apt-get install linphone-cli)");
        var home = Directory.CreateTempSubdirectory("linphone-");
        // liblinphone stays offline (no SIP listening point) when it cannot open its database folder.
        Directory.CreateDirectory(Path.Combine(home.FullName, ".local", "share", "linphone"));
        var tone = Path.Combine(home.FullName, "tone.wav");
        Baresip.WriteTone(tone, toneHz);
        var localSip = FreeUdpPort();
        var config = Path.Combine(home.FullName, "linphonerc");
        File.WriteAllText(config, string.Join('\n', [
            "[sip]",
            $"sip_port={localSip.ToString(CultureInfo.InvariantCulture)}",
            "sip_tcp_port=0",
            "sip_tls_port=0",
            "use_ipv6=0",
            // Without these it advertises a guessed host, which on a machine with no usable route is empty.
            "guess_hostname=0",
            $"contact=sip:{user}@127.0.0.1:{localSip.ToString(CultureInfo.InvariantCulture)}",
            "default_proxy=0",
            "[rtp]",
            // Ranges, so linphonec picks a free pair when a call starts rather than a port probed seconds before: below
            // the kernel's ephemeral ports and above the bridge's default RTP range (20000-29999).
            "audio_rtp_port=30000-31499",
            "video_rtp_port=31500-32767",
            "[sound]",
            "echocancellation=0",
            "[proxy_0]",
            $"reg_proxy=<sip:127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)};transport=udp>",
            $"reg_identity=sip:{user}@127.0.0.1",
            "reg_expires=600",
            "reg_sendregister=1",
            "publish=0",
            "[auth_info_0]",
            $"username={user}",
            $"passwd={password}",
            ""]));
        var info = new ProcessStartInfo("/usr/bin/linphonec")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["HOME"] = home.FullName;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(home.FullName, ".config");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(home.FullName, ".local", "share");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        info.ArgumentList.Add("-d");
        info.ArgumentList.Add("4");
        info.ArgumentList.Add("-l");
        info.ArgumentList.Add(Path.Combine(home.FullName, "linphonec.log"));
        if (autoAnswer)
        {
            info.ArgumentList.Add("-a");
        }

        if (camera)
        {
            info.ArgumentList.Add("-C");
        }

        var process = new Process { StartInfo = info };
        var linphone = new Linphone(process, home);
        process.OutputDataReceived += (_, e) => linphone.Append(e.Data);
        process.ErrorDataReceived += (_, e) => linphone.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // File mode before any call: there is no sound card to fall back on.
            linphone.Send("soundcard use files");
            linphone.Send($"play {tone}");
            linphone.Send($"record {linphone.HeardFile}");
            return linphone;
        }
        catch
        {
            linphone.Dispose();
            throw;
        }
    }

    /// <summary>Types one command at the linphonec prompt.</summary>
    public void Send(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
    }

    /// <summary>
    /// How strongly each tone sounds in the last <paramref name="last"/> of what linphonec heard. Its recorder
    /// writes the WAV header only when the call ends, so the samples are read from after the fixed header.
    /// </summary>
    public Dictionary<int, double> Heard(TimeSpan last, params int[] frequencies) =>
        File.Exists(HeardFile) ? WavTone.Heard(HeardFile, RecordRate, last, frequencies) : frequencies.ToDictionary(f => f, _ => 0.0);

    public void Dispose()
    {
        // No graceful quit: a test that failed mid-call must not wait on linphonec, and nothing of it may outlive the test.
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        try
        {
            home.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>linphonec's debug log so far, with the SIP messages it sent and received.</summary>
    public string Log
    {
        get
        {
            try
            {
                using var file = new FileStream(Path.Combine(home.FullName, "linphonec.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(file);
                return reader.ReadToEnd();
            }
            catch (IOException)
            {
                return "";
            }
        }
    }

    // ALSA's complaints about the missing sound card would fill the tail.
    private string LogTail(int lines) =>
        string.Join('\n', Log.Split('\n').Where(l => !l.Contains("alsa error", StringComparison.Ordinal)).TakeLast(lines));

    /// <summary>A UDP port free now for linphonec's SIP, which binds it as it starts.</summary>
    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
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
