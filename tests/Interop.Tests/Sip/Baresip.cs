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

    public static Baresip Start(string account)
    {
        Assert.True(File.Exists("/usr/bin/baresip"), "baresip is not installed (apt-get install baresip-core)");
        var folder = Directory.CreateTempSubdirectory("baresip-");
        File.WriteAllText(Path.Combine(folder.FullName, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{FreeUdpPort().ToString(CultureInfo.InvariantCulture)}",
            "sip_transports udp",
            "audio_player aufile,/dev/null",
            "audio_source ausine,440",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module ausine.so",
            "module aufile.so",
            "module_tmp account.so",
            ""));
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

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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
