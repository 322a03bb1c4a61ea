using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary><c>dotnet MediaBridge.dll</c>: the bridge as a separate Orleans client of a Redis cluster.</summary>
public sealed partial class BridgeProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private BridgeProcess(Process process) => this.process = process;

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

    public static BridgeProcess Start(string redis, string clusterId, params string[] settings)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     Repository.MediaBridgeAssembly, $"--Command:Redis={redis}", $"--Command:ClusterId={clusterId}",
                     "--Command:Bridge:SipAddress=127.0.0.1", "--Command:Bridge:SipPort=0",
                     // Its /metrics listener, on a free port so that several bridges can run at once.
                     $"--urls=http://127.0.0.1:{Command.Silo.Tests.Infrastructure.Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                 }.Concat(settings))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var bridge = new BridgeProcess(new Process { StartInfo = info });
        bridge.process.OutputDataReceived += (_, e) => bridge.Append(e.Data);
        bridge.process.ErrorDataReceived += (_, e) => bridge.Append(e.Data);
        bridge.process.Start();
        bridge.process.BeginOutputReadLine();
        bridge.process.BeginErrorReadLine();
        return bridge;
    }

    /// <summary>Waits for the "SIP listening" line and returns the port it names.</summary>
    public async Task<int> WaitListeningAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Listening().Match(Output) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            Assert.False(process.HasExited, $"The bridge exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The bridge did not listen within {timeout}:\n{Output}");
        return 0;
    }

    /// <summary>SIGKILL, as a crash: the bridge says goodbye to nobody.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                // Arrival times let a slow recovery be read against the moment of a fault.
                output.Append(DateTime.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture)).AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"SIP listening on UDP and TCP 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
