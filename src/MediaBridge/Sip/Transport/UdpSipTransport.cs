using System.Net;
using System.Net.Sockets;
using MediaBridge.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket, one receive loop, one timer loop for the transactions.
/// Answers go back to the datagram's source address and port, never to a host the message names
/// (RFC 3581 symmetric response). Nothing a peer sends can stop the loop: every failure is counted
/// and dropped.
/// </summary>
public sealed partial class UdpSipTransport : ISipSender, IAsyncDisposable
{
    private const int ReceiveBufferSize = SipParser.MaxMessageSize;
    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private Task loops = Task.CompletedTask;
    private readonly FloodGuard guard;
    private long malformed;
    private long socketErrors;
    private long flooded;

    public UdpSipTransport(IPEndPoint bind, ILogger logger, FloodGuard? guard = null)
    {
        this.logger = logger;
        this.guard = guard ?? new FloodGuard();
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The admission budgets this transport applies to every source.</summary>
    public FloodGuard Guard => guard;

    public long Malformed => Interlocked.Read(ref malformed);

    public long SocketErrors => Interlocked.Read(ref socketErrors);

    /// <summary>Datagrams ignored because their source exceeded the flood limit.</summary>
    public long Flooded => Interlocked.Read(ref flooded);

    /// <summary>Receives, and runs the transactions' timers when they come due, looking again at least every <paramref name="longest"/>.</summary>
    public void Start(SipTransactionLayer transactions, TimeSpan longest)
    {
        loops = Task.WhenAll(
            Task.Run(() => ReceiveLoopAsync(transactions, stopping.Token)),
            Task.Run(() => PollLoopAsync(transactions, longest, stopping.Token)));
    }

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable)
    {
        try
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogTrace("out", remote, FirstLine(message.Span));
            }

            socket.SendTo(message.Span, SocketFlags.None, remote);
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref socketErrors);
            LogSendFailed(e, remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        socket.Dispose();
        try
        {
            await loops;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(SipTransactionLayer transactions, CancellationToken cancel)
    {
        var buffer = new byte[ReceiveBufferSize];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancel);
                var remote = (IPEndPoint)received.RemoteEndPoint;
                if (!guard.Allow(remote.Address, DateTime.UtcNow.Ticks))
                {
                    Interlocked.Increment(ref flooded);
                    continue;
                }

                if (logger.IsEnabled(LogLevel.Debug))
                {
                    LogTrace("in", remote, FirstLine(buffer.AsSpan(0, received.ReceivedBytes)));
                }

                transactions.Receive(buffer.AsSpan(0, received.ReceivedBytes), remote, reliable: false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP port-unreachable from an earlier send surfaces here on some stacks; keep serving.
                Interlocked.Increment(ref socketErrors);
                LogReceiveFailed(e);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref malformed);
                LogHandlingFailed(e);
            }
        }
    }

    private async Task PollLoopAsync(SipTransactionLayer transactions, TimeSpan longest, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                await transactions.WaitForTimerAsync(longest, cancel);
                try
                {
                    transactions.Poll();
                }
                catch (Exception e)
                {
                    LogHandlingFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string FirstLine(ReadOnlySpan<byte> message)
    {
        var end = message.IndexOf((byte)'\r');
        return System.Text.Encoding.UTF8.GetString(message[..(end < 0 ? Math.Min(message.Length, 80) : Math.Min(end, 200))]);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP {Direction} {Remote}: {FirstLine}")]
    private partial void LogTrace(string direction, IPEndPoint remote, string firstLine);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP send to {Remote} failed")]
    private partial void LogSendFailed(Exception e, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP receive failed")]
    private partial void LogReceiveFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A SIP datagram could not be handled and was dropped")]
    private partial void LogHandlingFailed(Exception e);
}
