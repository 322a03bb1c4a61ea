using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MediaBridge.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18): each connection is read as a stream and framed by Content-Length;
/// answers go back over the connection the request came on. A connection that breaks framing,
/// exceeds the size limit or stays idle is closed; nothing it sends can stop the listener.
/// A peer this side registers to is <see cref="Dial"/>ed: a message for it with no connection opens one
/// (§18.1.1), which is then read like an accepted one and reused for every later message both ways, and
/// never closed for idleness; when it drops or cannot be opened, <see cref="ConnectionLost"/> says so.
/// </summary>
public sealed partial class TcpSipTransport : IAsyncDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket listener;
    private readonly ILogger logger;
    private readonly FloodGuard guard;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> connections = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<IPEndPoint, byte> dialed = new();

    // Messages for a dialed peer while its connection is being opened, under their own lock.
    private readonly Dictionary<IPEndPoint, List<ReadOnlyMemory<byte>>> opening = [];
    private SipTransactionLayer? layer;
    private Task accepting = Task.CompletedTask;

    public TcpSipTransport(IPEndPoint bind, ILogger logger, FloodGuard? guard = null)
    {
        this.logger = logger;
        this.guard = guard ?? new FloodGuard();
        listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(bind);
        listener.Listen(512);
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The admission budgets this transport applies to every source.</summary>
    public FloodGuard Guard => guard;

    public int ConnectionCount => connections.Count;

    /// <summary>A connection to a dialed peer dropped, or could not be opened; raised off the socket loops' locks.</summary>
    public event Action<IPEndPoint>? ConnectionLost;

    public void Start(SipTransactionLayer transactions)
    {
        layer = transactions;
        accepting = Task.Run(() => AcceptLoopAsync(transactions, stopping.Token));
    }

    /// <summary>Lets messages for <paramref name="remote"/> open a connection to it when none is open.</summary>
    public void Dial(IPEndPoint remote) => dialed[remote] = 0;

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        if (!connections.TryGetValue(remote, out var socket))
        {
            if (!dialed.ContainsKey(remote) || layer is not { } transactions || stopping.IsCancellationRequested)
            {
                LogNoConnection(remote);
                return;
            }

            lock (opening)
            {
                // Looked up again under the lock: the connection may have opened meanwhile.
                if (!connections.TryGetValue(remote, out socket))
                {
                    if (opening.TryGetValue(remote, out var queued))
                    {
                        queued.Add(message.ToArray());
                    }
                    else
                    {
                        opening[remote] = [message.ToArray()];
                        _ = Task.Run(() => ConnectAsync(transactions, remote, stopping.Token));
                    }

                    return;
                }
            }
        }

        try
        {
            lock (socket)
            {
                socket.Send(message.Span);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close(remote, socket);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Dispose();
        foreach (var (remote, socket) in connections)
        {
            Close(remote, socket);
        }

        try
        {
            await accepting;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync(SipTransactionLayer transactions, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancel);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(e);
                continue;
            }

            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (!guard.Allow(remote.Address, DateTime.UtcNow.Ticks))
            {
                socket.Dispose();
                continue;
            }

            socket.NoDelay = true;
            connections[remote] = socket;
            _ = Task.Run(() => ReadLoopAsync(transactions, socket, remote, cancel), cancel);
        }
    }

    private async Task ConnectAsync(SipTransactionLayer transactions, IPEndPoint remote, CancellationToken cancel)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            bounded.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(remote, bounded.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            lock (opening)
            {
                opening.Remove(remote);
            }

            LogConnectFailed(remote, e.Message);
            Lost(remote);
            return;
        }

        List<ReadOnlyMemory<byte>>? queued;
        lock (opening)
        {
            connections[remote] = socket;
            opening.Remove(remote, out queued);
        }

        LogConnected(remote, (IPEndPoint)socket.LocalEndPoint!);
        _ = Task.Run(() => ReadLoopAsync(transactions, socket, remote, cancel), cancel);
        foreach (var message in queued ?? [])
        {
            Send(message, remote);
        }
    }

    private void Lost(IPEndPoint remote)
    {
        if (!dialed.ContainsKey(remote) || stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            ConnectionLost?.Invoke(remote);
        }
        catch (Exception e)
        {
            LogLostHandlerFailed(e, remote);
        }
    }

    private async Task ReadLoopAsync(SipTransactionLayer transactions, Socket socket, IPEndPoint remote, CancellationToken cancel)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, SipParser.MaxMessageSize * 2));
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                idle.CancelAfter(dialed.ContainsKey(remote) ? Timeout.InfiniteTimeSpan : IdleTimeout);
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                if (!Drain(transactions, socket, remote, buffer, ref filled))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            LogHandlingFailed(e, remote);
        }
        finally
        {
            Close(remote, socket);
        }
    }

    /// <summary>Hands every complete message to the transactions; false when the stream is broken.</summary>
    private bool Drain(SipTransactionLayer transactions, Socket socket, IPEndPoint remote, byte[] buffer, ref int filled)
    {
        while (true)
        {
            var result = StreamFramer.TryFrame(buffer.AsSpan(0, filled), out var skip, out var length, out var keepAlives);
            if (keepAlives > 0)
            {
                // RFC 5626 §3.5.1: answer a double-CRLF ping with a single CRLF pong.
                Send("\r\n"u8.ToArray(), remote);
            }

            if (result == StreamFramer.Result.Broken)
            {
                return false;
            }

            if (result == StreamFramer.Result.Incomplete)
            {
                Buffer.BlockCopy(buffer, skip, buffer, 0, filled - skip);
                filled -= skip;
                return true;
            }

            if (guard.Allow(remote.Address, DateTime.UtcNow.Ticks))
            {
                transactions.Receive(buffer.AsSpan(skip, length), remote, reliable: true);
            }

            var consumed = skip + length;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
        }
    }

    private void Close(IPEndPoint remote, Socket socket)
    {
        var removed = connections.TryRemove(new KeyValuePair<IPEndPoint, Socket>(remote, socket));
        socket.Dispose();
        if (removed)
        {
            Lost(remote);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No TCP connection to {Remote} for a SIP message")]
    private partial void LogNoConnection(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP TCP connection to {Remote} opened from {Local}")]
    private partial void LogConnected(IPEndPoint remote, IPEndPoint local);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TCP connection to {Remote} could not be opened: {Reason}")]
    private partial void LogConnectFailed(IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling the loss of the SIP TCP connection to {Remote} failed")]
    private partial void LogLostHandlerFailed(Exception e, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepting a SIP TCP connection failed")]
    private partial void LogAcceptFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A SIP TCP connection from {Remote} was closed after an error")]
    private partial void LogHandlingFailed(Exception e, IPEndPoint remote);
}
