using System.Net;
using System.Net.Sockets;
using MediaBridge.Dtls;
using MediaBridge.Ice;
using MediaBridge.Rtp;
using MediaBridge.WebRtc;

namespace MediaBridge.Tests.WebRtc;

public sealed class WebRtcTransportTests
{
    /// <summary>
    /// Datagrams of every kind RFC 7983 tells apart, and of none, from a peer that never passed an
    /// ICE check: nothing reaches the conference, nothing throws, and no DTLS starts.
    /// </summary>
    [Fact]
    public async Task Garbage_from_an_unchecked_peer_is_dropped_without_a_fault()
    {
        var port = new RtpSocket(new IPEndPoint(IPAddress.Loopback, 0));
        using var transport = new WebRtcTransport(port, IceCredentials.Create(), "peer", DtlsCertificate.Create(), DtlsCertificate.Create("peer").Fingerprint);
        var delivered = 0;
        var closed = 0;
        transport.Closed += _ => Interlocked.Increment(ref closed);
        transport.Start(0, (_, _, _) => Interlocked.Increment(ref delivered));
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(4475);
        for (var i = 0; i < 2000; i++)
        {
            var datagram = new byte[random.Next(1, 1400)];
            random.NextBytes(datagram);
            datagram[0] = (byte)(i % 4 == 0 ? random.Next(0, 4) : i % 4 == 1 ? random.Next(20, 64) : i % 4 == 2 ? random.Next(128, 192) : random.Next(0, 256));
            peer.SendTo(datagram, port.LocalEndPoint);
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal((0, 0, 0L), (delivered, closed, port.Errors));
        Assert.False(transport.Secured);
        Assert.Equal(0, transport.Unprotected);
    }
}
