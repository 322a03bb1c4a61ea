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

    /// <param name="avoid">Ports the node binds after the store starts (HTTP, silo, SIP): a random port is never one of them.</param>
    public EmbeddedStore(string dataDirectory, int port, ILoggerFactory? loggerFactory = null, IReadOnlyCollection<int>? avoid = null)
    {
        Port = port == 0 ? FreeLoopbackPort(avoid ?? []) : port;
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

    /// <summary>
    /// A port free now and not one the node binds later: a port that was free a moment ago can be handed out
    /// again, and a store holding the HTTP port (say a test's) would stop the node from starting.
    /// </summary>
    private static int FreeLoopbackPort(IReadOnlyCollection<int> avoid)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!avoid.Contains(port))
            {
                return port;
            }
        }
    }
}
