using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Command.Silo.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, for multi-silo tests.</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process process;
    private bool disposed;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static Task<RedisServer> StartAsync(string directory) => StartAsync(directory, Ports.Free(), persistent: false);

    /// <summary>
    /// A server on a given port; a persistent one syncs every write to its append-only file in
    /// <paramref name="directory"/>, so stopping it and starting another there keeps the data.
    /// </summary>
    public static async Task<RedisServer> StartAsync(string directory, int port, bool persistent)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] durability = persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", directory }.Concat(durability))
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server)", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }

        server.Dispose();
        throw new InvalidOperationException("redis-server did not start");
    }

    /// <summary>Stops the server; calling it again does nothing.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }
}
