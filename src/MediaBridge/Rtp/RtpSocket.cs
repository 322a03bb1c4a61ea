using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Rtp;

/// <summary>
/// One UDP port of a leg. On 64-bit Linux a dedicated thread reads it with recvmmsg, up to
/// <see cref="ReceiveBatch.Slots"/> datagrams a call, and hands each one and its source to the room; the socket never
/// joins .NET's shared epoll set, so a send does not wake the sockets thread and no datagram waits for a pool thread.
/// What that thread sends while it handles a batch leaves with sendmmsg once the batch is handled (see
/// <see cref="SendBatch"/>); sends from any other thread go at once. Elsewhere the receive loop is .NET's asynchronous
/// one. Either way no exception gets out of the loop, and nothing is allocated per packet.
/// </summary>
/// <remarks>
/// Each leg keeps a port of its own (the one in its SDP, which symmetric RTP and NATs key on), so the batching is per
/// socket across consecutive packets rather than across legs on one shared socket: the peers see exactly the ports,
/// addresses and packets they saw before.
/// </remarks>
public sealed partial class RtpSocket : IDisposable
{
    public const int MaxPacket = 1500;

    /// <summary>Asked of the kernel for each direction; it grants up to net.core.rmem_max and wmem_max.</summary>
    public const int BufferBytes = 4 << 20;

    /// <summary>A blocked receive wakes this often by itself, should a close not wake it.</summary>
    private static readonly TimeSpan IdleWake = TimeSpan.FromSeconds(2);

    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private long errors;
    private long sendCalls;
    private int disposed;

    /// <summary>
    /// Who still holds the socket open: this object until disposed, and the receive thread until it ends. The last
    /// one closes it, so disposing never waits for a receive thread that may itself be waiting for the caller's lock.
    /// </summary>
    private int holders = 1;

    public RtpSocket(IPEndPoint bind, ILogger? logger = null)
    {
        this.logger = logger ?? NullLogger.Instance;
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(bind);
            socket.ReceiveBufferSize = BufferBytes;
            socket.SendBufferSize = BufferBytes;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public delegate void PacketHandler(ReadOnlySpan<byte> packet, SocketAddress from);

    public IPEndPoint LocalEndPoint { get; }

    public long Errors => Interlocked.Read(ref errors);

    /// <summary>The receive buffer the kernel granted (Linux reports twice what it counts against, as socket(7) says).</summary>
    public int ReceiveBufferSize => socket.ReceiveBufferSize;

    /// <summary>System calls made to send: one per packet sent at once, one per socket and batch for a receive thread's sends.</summary>
    internal long SendCalls => Interlocked.Read(ref sendCalls);

    public void Start(PacketHandler onPacket)
    {
        if (LinuxUdp.IsAvailable)
        {
            Interlocked.Increment(ref holders);
            new Thread(() => ReceiveThread(onPacket)) { IsBackground = true, Name = $"rtp {LocalEndPoint.Port}" }.Start();
        }
        else
        {
            _ = Task.Run(() => ReceiveLoopAsync(onPacket, stopping.Token));
        }
    }

    public void Send(ReadOnlySpan<byte> packet, SocketAddress to)
    {
        if (SendBatch.Current is { } batch && batch.TryAdd(this, packet, to))
        {
            return;
        }

        try
        {
            Interlocked.Increment(ref sendCalls);
            socket.SendTo(packet, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref errors);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        stopping.Cancel();

        // A receive thread that closes a socket after sending on it (a DTLS alert, say) sends what it holds first, as a send at once would have.
        SendBatch.Current?.Flush();
        try
        {
            // Wakes a thread blocked in recvmmsg; on an unconnected socket the kernel does so and then reports ENOTCONN.
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        Release();
    }

    /// <summary>Sends held messages on this socket with as few sendmmsg calls as the kernel takes them in.</summary>
    internal unsafe void SendMessages(LinuxUdp.Message* messages, int count)
    {
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            var sent = 0;
            while (sent < count)
            {
                Interlocked.Increment(ref sendCalls);
                var n = LinuxUdp.SendMessages(fd, messages + sent, (uint)(count - sent), 0);
                if (n > 0)
                {
                    sent += n;
                }
                else if (Marshal.GetLastPInvokeError() != LinuxUdp.Interrupted)
                {
                    // The first message failed (a route or a full buffer): drop it, as a failed sendto dropped it.
                    Interlocked.Increment(ref errors);
                    sent++;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Add(ref errors, count);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private void ReceiveThread(PacketHandler onPacket)
    {
        var handle = socket.SafeHandle;
        var added = false;
        ReceiveBatch? received = null;
        var batch = SendBatch.Enter();
        try
        {
            // The reference keeps the descriptor open, and so unshared with any socket opened later, until the loop ends.
            handle.DangerousAddRef(ref added);
            var (level, name) = LinuxUdp.ReceiveTimeoutOption;
            socket.SetRawSocketOption(level, name, LinuxUdp.ReceiveTimeout(IdleWake));
            received = new ReceiveBatch(socket.AddressFamily);
            var fd = (int)handle.DangerousGetHandle();
            while (Volatile.Read(ref disposed) == 0)
            {
                var count = received.Receive(fd, out var error);
                if (count < 0)
                {
                    if (error is LinuxUdp.Interrupted or LinuxUdp.WouldBlock)
                    {
                        continue;
                    }

                    Interlocked.Increment(ref errors);
                    if (error is LinuxUdp.BadDescriptor or LinuxUdp.NotSocket or LinuxUdp.Invalid)
                    {
                        if (Volatile.Read(ref disposed) == 0)
                        {
                            LogReceiveStopped(logger, LocalEndPoint.Port, error);
                        }

                        return;
                    }

                    continue;
                }

                batch.Holding = count > 1;
                for (var i = 0; i < count; i++)
                {
                    if (received.Oversized(i))
                    {
                        continue;
                    }

                    try
                    {
                        onPacket(received.Packet(i), received.Source(i));
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref errors);
                        LogPacketFailed(logger, LocalEndPoint.Port, e);
                    }
                }

                batch.Flush();
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed before the thread took its reference.
        }
        catch (Exception e)
        {
            LogReceiveFailed(logger, LocalEndPoint.Port, e);
        }
        finally
        {
            try
            {
                batch.Flush();
            }
            catch (Exception e)
            {
                LogReceiveFailed(logger, LocalEndPoint.Port, e);
            }

            batch.Dispose();
            received?.Dispose();
            if (added)
            {
                handle.DangerousRelease();
            }

            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref holders) == 0)
        {
            socket.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(PacketHandler onPacket, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxPacket + 1);
        var from = new SocketAddress(socket.AddressFamily);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                try
                {
                    var length = await socket.ReceiveFromAsync(buffer.AsMemory(0, MaxPacket + 1), SocketFlags.None, from, cancel);
                    if (length <= MaxPacket)
                    {
                        onPacket(buffer.AsSpan(0, length), from);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (Exception)
                {
                    // ICMP errors from earlier sends, or a packet the room could not handle: count it and go on.
                    Interlocked.Increment(ref errors);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A packet on RTP port {Port} could not be handled")]
    private static partial void LogPacketFailed(ILogger logger, int port, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RTP port {Port} stopped receiving: error {Error} from recvmmsg")]
    private static partial void LogReceiveStopped(ILogger logger, int port, int error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The receive thread of RTP port {Port} failed")]
    private static partial void LogReceiveFailed(ILogger logger, int port, Exception exception);
}
