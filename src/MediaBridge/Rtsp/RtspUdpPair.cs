using System.Net;
using System.Net.Sockets;

namespace MediaBridge.Rtsp;

/// <summary>
/// The UDP port pair of one track set up with <c>client_port</c> (RFC 2326 §12.39): an even RTP port and
/// the odd RTCP port above it (RFC 3550 §11). RTP is read until disposal and handed on; RTCP is read only
/// so the server's reports do not pile up in the socket.
/// </summary>
internal sealed class RtspUdpPair : IDisposable
{
    private readonly Socket rtp;
    private readonly Socket rtcp;

    private RtspUdpPair(Socket rtp, Socket rtcp) => (this.rtp, this.rtcp) = (rtp, rtcp);

    public int RtpPort => ((IPEndPoint)rtp.LocalEndPoint!).Port;

    /// <summary>Binds a pair on <paramref name="address"/>, the system's free port a hint where to look; null when none is free.</summary>
    public static RtspUdpPair? Bind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        for (var attempt = 0; attempt < 20; attempt++)
        {
            int hint;
            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(new IPEndPoint(address, 0));
                hint = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }
            catch (SocketException)
            {
                return null;
            }

            var even = (hint + 1) & ~1;
            if (even >= 65535)
            {
                continue;
            }

            var rtp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var rtcp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtp.Bind(new IPEndPoint(address, even));
                rtcp.Bind(new IPEndPoint(address, even + 1));
                return new RtspUdpPair(rtp, rtcp);
            }
            catch (SocketException)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }

        return null;
    }

    /// <summary>Starts reading both ports until <paramref name="cancel"/> or disposal; each RTP datagram goes to <paramref name="deliver"/>.</summary>
    public void Start(Action<ReadOnlyMemory<byte>> deliver, CancellationToken cancel)
    {
        _ = ReceiveAsync(rtp, deliver, cancel);
        _ = ReceiveAsync(rtcp, null, cancel);
    }

    public void Dispose()
    {
        rtp.Dispose();
        rtcp.Dispose();
    }

    private static async Task ReceiveAsync(Socket socket, Action<ReadOnlyMemory<byte>>? deliver, CancellationToken cancel)
    {
        var buffer = new byte[65536];
        var from = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancel);
                deliver?.Invoke(buffer.AsMemory(0, received.ReceivedBytes));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
