using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediaBridge.Rtp;
using Command.Grains.Tests.Infrastructure;

namespace MediaBridge.Tests.Rtp;

public sealed class RtpSocketTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_burst_arrives_whole_in_order_and_with_its_source()
    {
        using var socket = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        var arrived = new ConcurrentQueue<(int Index, int Length, bool FromPeer)>();
        using var peer = Peer();
        var peerAddress = ((IPEndPoint)peer.LocalEndPoint!).Serialize();
        socket.Start((packet, from) => arrived.Enqueue((packet[0] << 8 | packet[1], packet.Length, from.Equals(peerAddress))));
        for (var i = 0; i < 500; i++)
        {
            var datagram = new byte[20 + (i % 1400)];
            datagram[0] = (byte)(i >> 8);
            datagram[1] = (byte)i;
            peer.SendTo(datagram, socket.LocalEndPoint);
        }

        await Eventually.Until(() => Task.FromResult(arrived.Count), n => n >= 500, Wait);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (i, 20 + (i % 1400), true)), arrived);
        Assert.Equal(0, socket.Errors);
    }

    [Fact]
    public async Task A_datagram_longer_than_a_packet_is_dropped_and_the_next_one_delivered()
    {
        using var socket = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        var lengths = new ConcurrentQueue<int>();
        socket.Start((packet, _) => lengths.Enqueue(packet.Length));
        using var peer = Peer();
        peer.SendTo(new byte[RtpSocket.MaxPacket + 1], socket.LocalEndPoint);
        peer.SendTo(new byte[RtpSocket.MaxPacket], socket.LocalEndPoint);
        peer.SendTo(new byte[12], socket.LocalEndPoint);

        await Eventually.Until(() => Task.FromResult(lengths.Count), n => n >= 2, Wait);
        Assert.Equal([RtpSocket.MaxPacket, 12], lengths);
    }

    [Fact]
    public async Task A_handler_that_throws_is_counted_and_receiving_goes_on()
    {
        using var socket = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        var good = 0;
        socket.Start((packet, _) =>
        {
            if (packet[0] == 1)
            {
                throw new InvalidOperationException("bad packet");
            }

            Interlocked.Increment(ref good);
        });
        using var peer = Peer();
        peer.SendTo([1, 0], socket.LocalEndPoint);
        peer.SendTo([0, 0], socket.LocalEndPoint);
        peer.SendTo([1, 0], socket.LocalEndPoint);
        peer.SendTo([0, 0], socket.LocalEndPoint);

        await Eventually.Until(() => Task.FromResult((Volatile.Read(ref good), socket.Errors)), r => r == (2, 2L), Wait);
    }

    /// <summary>
    /// A fan-out on the receive thread: each packet is sent on to two peers through one other socket. While the
    /// thread is held, the rest of the burst queues up; once let go, it takes the queue in batches and each batch's
    /// copies leave in one call for the socket, in order, rather than one call per copy.
    /// </summary>
    [Fact]
    public async Task Sends_made_while_a_batch_is_handled_leave_together_and_in_order()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "recvmmsg and sendmmsg are Linux calls; elsewhere every copy is its own send.");
        using var input = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var output = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = Peer();
        using var second = Peer();
        var to = new[] { ((IPEndPoint)first.LocalEndPoint!).Serialize(), ((IPEndPoint)second.LocalEndPoint!).Serialize() };
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        input.Start((packet, _) =>
        {
            if (!held.IsSet)
            {
                held.Set();
                release.Wait(Wait, TestContext.Current.CancellationToken);
            }

            output.Send(packet, to[0]);
            output.Send(packet, to[1]);
        });
        using var source = Peer();
        const int count = 64;
        source.SendTo(Index(0), input.LocalEndPoint);
        Assert.True(held.Wait(Wait, TestContext.Current.CancellationToken));
        for (var i = 1; i < count; i++)
        {
            source.SendTo(Index(i), input.LocalEndPoint);
        }

        release.Set();
        var expected = Enumerable.Range(0, count).ToArray();
        Assert.Equal(expected, await Drain(first, count));
        Assert.Equal(expected, await Drain(second, count));
        Assert.InRange(output.SendCalls, 1, count / 4);
    }

    [Fact]
    public async Task A_lone_datagram_s_copies_leave_before_its_handler_returns()
    {
        using var input = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var output = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = Peer();
        receiver.ReceiveTimeout = 2000;
        var to = ((IPEndPoint)receiver.LocalEndPoint!).Serialize();
        var arrivedInHandler = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        input.Start((packet, _) =>
        {
            output.Send(packet, to);
            try
            {
                // A copy held for the batch's flush would only leave after this handler returns.
                arrivedInHandler.TrySetResult(receiver.Receive(new byte[64]) == packet.Length);
            }
            catch (SocketException)
            {
                arrivedInHandler.TrySetResult(false);
            }
        });
        using var source = Peer();

        source.SendTo(Index(7), input.LocalEndPoint);

        Assert.True(await arrivedInHandler.Task.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Equal(1, output.SendCalls);
    }

    /// <summary>
    /// A room disposes its legs under its lock while a leg's receive thread may be waiting for that lock with a packet
    /// in hand: disposing must return at once, and the port is freed once the thread has let go of it.
    /// </summary>
    [Fact]
    public async Task Disposing_does_not_wait_for_a_receive_thread_that_waits_for_the_caller()
    {
        var socket = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        var port = socket.LocalEndPoint.Port;
        using var room = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        socket.Start((_, _) =>
        {
            entered.Set();
            room.Wait(Wait);
        });
        using var peer = Peer();
        peer.SendTo([0x80, 0], socket.LocalEndPoint);
        Assert.True(entered.Wait(Wait, TestContext.Current.CancellationToken));
        var disposed = Task.Run(socket.Dispose, TestContext.Current.CancellationToken);
        var first = await Task.WhenAny(disposed, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        room.Set();
        Assert.Same(disposed, first);
        await Eventually.Until(() => Task.FromResult(CanBind(port)), free => free, Wait);
    }

    /// <summary>A leg closed from a receive thread right after a last send (a DTLS alert): the send still leaves.</summary>
    [Fact]
    public async Task A_socket_closed_on_a_receive_thread_sends_what_that_thread_held_for_it()
    {
        using var input = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        var output = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var peer = Peer();
        var to = ((IPEndPoint)peer.LocalEndPoint!).Serialize();
        input.Start((packet, _) =>
        {
            output.Send(packet, to);
            output.Dispose();
        });
        using var source = Peer();
        source.SendTo(Index(7), input.LocalEndPoint);

        var received = await Drain(peer, 1);
        Assert.Equal([7], received);
        Assert.Equal(0, output.Errors);
    }

    [Fact]
    public void The_receive_buffer_is_enlarged_as_far_as_the_kernel_allows()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The kernel's limit is read from Linux's /proc.");
        var limit = int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max").Trim(), CultureInfo.InvariantCulture);
        using var socket = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(2 * Math.Min(limit, RtpSocket.BufferBytes), socket.ReceiveBufferSize);
    }

    private static Socket Peer()
    {
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return peer;
    }

    private static byte[] Index(int i) => [0x80, 0, (byte)(i >> 8), (byte)i];

    private static async Task<int[]> Drain(Socket peer, int count)
    {
        var indexes = new List<int>();
        var buffer = new byte[RtpSocket.MaxPacket];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        while (indexes.Count < count)
        {
            var n = await peer.ReceiveAsync(buffer, timeout.Token);
            indexes.Add(n >= 4 ? buffer[2] << 8 | buffer[3] : -1);
        }

        return [.. indexes];
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
