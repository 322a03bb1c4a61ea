using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging;

namespace Command.Silo.Store;

/// <summary>
/// An in-process Garnet server on loopback, speaking the Redis protocol to Orleans' Redis providers.
/// Every write is committed to the append-only log before it is acknowledged, so a kill -9 loses
/// nothing that was acknowledged; start-up replays the log from the last checkpoint.
/// </summary>
public sealed class EmbeddedStore : IDisposable
{
    private readonly GarnetServer server;

    public EmbeddedStore(string dataDirectory, int port, ILoggerFactory? loggerFactory = null)
    {
        Port = port == 0 ? FreeLoopbackPort() : port;
        Directory = Path.GetFullPath(Path.Combine(dataDirectory, "store"));
        System.IO.Directory.CreateDirectory(Directory);
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--lua",
            "--aof",
            "--aof-commit-freq", "0",
            "--aof-commit-wait",
            "--storage-tier",
            "--device-type", "RandomAccess",
            "--logdir", Directory,
            "--checkpointdir", Directory,
            "--recover",
            "--memory", "256m",
            "--index", "32m",
        ];
        server = new GarnetServer(args, loggerFactory);
        server.Start();
    }

    public int Port { get; }

    public string Directory { get; }

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public void Dispose() => server.Dispose();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
