using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace MediaBridge.Rtp;

/// <summary>
/// One UDP port of a leg. The receive loop hands each datagram and its source to the room and
/// never lets an exception out; sending takes a <see cref="SocketAddress"/> so nothing is allocated
/// per packet.
/// </summary>
public sealed class RtpSocket : IDisposable
{
    public const int MaxPacket = 1500;

    private readonly Socket socket;
    private readonly CancellationTokenSource stopping = new();
    private long errors;
    private int disposed;

    public RtpSocket(IPEndPoint bind)
    {
        socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(bind);
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

    public void Start(PacketHandler onPacket) => _ = Task.Run(() => ReceiveLoopAsync(onPacket, stopping.Token));

    public void Send(ReadOnlySpan<byte> packet, SocketAddress to)
    {
        try
        {
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
        socket.Dispose();
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
}
