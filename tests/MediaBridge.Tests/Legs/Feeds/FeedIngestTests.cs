using System.Net;
using System.Net.Sockets;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Legs.Feeds;
using MediaBridge.Tests.Rtp;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>A pushed feed's port: garbage changes nothing, the camera's H.264 makes it online with its size, silence makes it connecting.</summary>
public sealed class FeedIngestTests : IDisposable
{
    private static readonly byte[] Sps320 = Convert.FromHexString("6742c00cd90141fb0110000003001000000301e0f142a480");
    private readonly MediaEngine media = new(new MediaPorts(IPAddress.Loopback, 45000, 45100), NullLogger<MediaEngine>.Instance);

    [Fact]
    public async Task A_push_port_takes_garbage_without_harm_then_goes_online_with_the_cameras_figures_and_back_to_connecting_when_silent()
    {
        var port = FreeUdpPort();
        var camera = media.CreateFeed("push");
        var options = new FeedOptions { Silence = TimeSpan.FromMilliseconds(600) };
        using var ingest = new FeedIngest(new PlanFeed("push", $"rtp://127.0.0.1:{port}?pt=100", null, null), camera, options, TimeProvider.System, NullLogger.Instance);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var random = new Random(3);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        for (var i = 0; i < 3000; i++)
        {
            var junk = new byte[random.Next(0, 1600)];
            random.NextBytes(junk);
            if (i % 3 == 0 && junk.Length > 12)
            {
                junk[0] = 0x80;
                junk[1] = (byte)(random.Next(2) == 0 ? 96 : 0xE0);
            }

            sender.SendTo(junk, target);
        }

        sender.SendTo(Packets.Rtp(5, 1, 0, true, 96, Sps320), target);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(FeedStatus.Connecting, ingest.Status);
        Assert.Equal(0, camera.Packets);
        Assert.True(ingest.Refused > 0);

        ushort sequence = 1;
        uint timestamp = 0;
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            sender.SendTo(Packets.Rtp(7, sequence++, timestamp, false, 100, Sps320), target);
            sender.SendTo(Packets.Rtp(7, sequence++, timestamp, false, 100, 0x68, 0xCE, 0x3C, 0x80), target);
            sender.SendTo(Packets.Rtp(7, sequence++, timestamp, true, 100, 0x65, 0x88, 0x80, 0x40), target);
            timestamp += 6000;
            await Task.Delay(66, TestContext.Current.CancellationToken);
        }

        Assert.Equal(FeedStatus.Online, ingest.Status);
        var report = ingest.Measure(TimeSpan.FromSeconds(15));
        Assert.Equal(("H264 Constrained Baseline L1.2", 320, 240), (report.Codec, report.Width, report.Height));
        Assert.InRange(report.Fps!.Value, 5, 20);
        Assert.True(report.BitrateKbps > 0);
        Assert.True(camera.Cache.Count > 0);

        var silentBy = DateTime.UtcNow.AddSeconds(5);
        while (ingest.Status == FeedStatus.Online && DateTime.UtcNow < silentBy)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(FeedStatus.Connecting, ingest.Status);
        Assert.Contains("no packets", ingest.Measure(TimeSpan.FromSeconds(15)).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://cam/1")]
    [InlineData("rtp://camera.example:5004")]
    [InlineData("rtp://0.0.0.0:5004?pt=300")]
    [InlineData("rtsp://cam/1?transport=sctp")]
    [InlineData("not a url")]
    public void A_feed_whose_url_cannot_be_used_is_offline_with_the_reason(string url)
    {
        using var ingest = new FeedIngest(new PlanFeed("bad", url, null, null), media.CreateFeed("bad"), new FeedOptions(), TimeProvider.System, NullLogger.Instance);

        var report = ingest.Measure(TimeSpan.FromSeconds(15));
        Assert.Equal(FeedStatus.Offline, report.Status);
        Assert.False(string.IsNullOrEmpty(report.Error));
    }

    [Fact]
    public void Rtsp_urls_pull_over_tcp_unless_they_ask_for_udp_and_keep_the_rest_of_their_query()
    {
        Assert.True(FeedAddress.TryParse("rtsp://10.0.0.5:554/Streaming/Channels/101", out var tcp, out _));
        Assert.False(tcp.Udp);
        Assert.True(FeedAddress.TryParse("rtsp://10.0.0.5/live?channel=1&transport=udp", out var udp, out _));
        Assert.True(udp.Udp);
        Assert.Equal("rtsp://10.0.0.5/live?channel=1", udp.Url);
        Assert.True(FeedAddress.TryParse("rtp://0.0.0.0:5004", out var push, out _));
        Assert.Equal((5004, 96), (push.Listen!.Port, push.PayloadType));
    }

    public void Dispose() => media.Dispose();

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
