using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Chaos;

/// <summary>
/// A real redis-server that writes every command to its append-only file before answering
/// (appendfsync always), so it can be stopped and started again on the same port and data folder
/// with nothing acknowledged lost.
/// </summary>
public sealed class PersistentRedis : IDisposable
{
    private readonly string directory;
    private Process? process;

    private PersistentRedis(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<PersistentRedis> StartAsync(string directory)
    {
        var redis = new PersistentRedis(directory, Ports.Free());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts the server (again) on the same port with the same data folder, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        Assert.True(process is null || process.HasExited, "redis-server is already running");
        process?.Dispose();
        var info = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
                     "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            Assert.False(process.HasExited, "redis-server exited at start");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, TestContext.Current.CancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        Assert.Fail("redis-server did not accept connections within 20 s");
    }

    /// <summary>SIGTERM, as an operator's restart does: Redis finishes its append-only file and exits.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    public void Dispose()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }

        process?.Dispose();
    }
}
