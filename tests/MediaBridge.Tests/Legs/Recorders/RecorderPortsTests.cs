using System.Net;
using System.Net.Sockets;
using MediaBridge.Conference;
using MediaBridge.Legs.Recorders;

namespace MediaBridge.Tests.Legs.Recorders;

/// <summary>A part's ffmpeg listens on pairs of the bridge's media range, never on a pair taken on loopback, and never twice running on the same one.</summary>
public sealed class RecorderPortsTests
{
    [Fact]
    public void Pairs_come_from_the_media_range_in_turn_skipping_one_taken_on_loopback()
    {
        var min = 21000 + (Random.Shared.Next(0, 400) * 20);

        // The bridge listens on another loopback address, so only the recorder's own check sees the pair taken on 127.0.0.1.
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, min));
        var ports = new MediaPorts(IPAddress.Parse("127.0.0.2"), min, min + 19);

        var first = RecorderPorts.Pair(ports);
        var second = RecorderPorts.Pair(ports, exclude: first);

        Assert.Equal(min + 2, first);
        Assert.Equal(min + 4, second);
    }

    [Fact]
    public void A_range_with_no_pair_free_on_loopback_is_an_error_the_recorder_catches()
    {
        var min = 21000 + (Random.Shared.Next(0, 400) * 20);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, min));
        var ports = new MediaPorts(IPAddress.Parse("127.0.0.2"), min, min + 1);

        Assert.Throws<InvalidOperationException>(() => RecorderPorts.Pair(ports));
    }
}
