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
/// </summary>
public sealed partial class TcpSipTransport : IAsyncDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);
    private readonly Socket listener;
    private readonly ILogger logger;
    private readonly FloodGuard guard;
    private readonly ConcurrentDictionary<IPEndPoint, Socket> connections = new();
    private readonly CancellationTokenSource stopping = new();
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

    public void Start(SipTransactionLayer transactions) =>
        accepting = Task.Run(() => AcceptLoopAsync(transactions, stopping.Token));

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        if (!connections.TryGetValue(remote, out var socket))
        {
            LogNoConnection(remote);
            return;
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
                idle.CancelAfter(IdleTimeout);
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
        connections.TryRemove(new KeyValuePair<IPEndPoint, Socket>(remote, socket));
        socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No TCP connection to {Remote} for a SIP message")]
    private partial void LogNoConnection(IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepting a SIP TCP connection failed")]
    private partial void LogAcceptFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A SIP TCP connection from {Remote} was closed after an error")]
    private partial void LogHandlingFailed(Exception e, IPEndPoint remote);
}
