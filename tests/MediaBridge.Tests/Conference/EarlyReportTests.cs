using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Command.Grains.Tests.Infrastructure;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Conference;

/// <summary>A newly negotiated leg's figures are reported within about a second, not after a whole reporting period.</summary>
public sealed class EarlyReportTests
{
    [Fact]
    public async Task A_negotiated_leg_that_sends_is_reported_with_its_packets_long_before_the_steady_period()
    {
        var first = 30000 + (Random.Shared.Next(0, 1000) * 20);
        using var media = new MediaEngine(new MediaPorts(IPAddress.Loopback, first, first + 400), NullLogger<MediaEngine>.Instance)
        {
            ReportEvery = TimeSpan.FromSeconds(30),
            FirstReportAfter = TimeSpan.FromMilliseconds(300),
        };
        var reports = new ConcurrentQueue<(TimeSpan At, LegMeasure Leg)>();
        var clock = Stopwatch.StartNew();
        var session = $"early-{Guid.NewGuid():N}";
        media.Measured += (id, legs) =>
        {
            foreach (var leg in legs.Where(_ => id == session))
            {
                reports.Enqueue((clock.Elapsed, leg));
            }
        };
        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var leg = media.CreateLeg(session, "v1");
        var at = (IPEndPoint)phone.LocalEndPoint!;
        media.Negotiated(leg, new NegotiatedMedia(
            new NegotiatedStream(new SdpCodec(0, "PCMU", 8000, 1), null, at, new IPEndPoint(IPAddress.Loopback, at.Port + 1), false, MediaDirection.SendRecv),
            null,
            VideoCodec.None));
        media.Ready(leg);

        using var sending = new CancellationTokenSource();
        var phoneSends = SendToneAsync(phone, new IPEndPoint(IPAddress.Loopback, leg.Audio.Path.LocalPort), sending.Token);

        var flowing = await Eventually.Until(
            () => Task.FromResult(reports.FirstOrDefault(r => r.Leg.PacketsIn > 0 && r.Leg.PacketsOut > 0)),
            r => r.Leg is not null,
            TimeSpan.FromSeconds(10));
        await sending.CancelAsync();
        await phoneSends;
        Assert.True(flowing.At < TimeSpan.FromSeconds(5), $"the leg's media were first reported after {flowing.At}, as late as the steady period");
        media.Remove(leg);
    }

    /// <summary>A G.711 packet every 20 ms, as a phone sends, until cancelled.</summary>
    private static async Task SendToneAsync(Socket phone, IPEndPoint to, CancellationToken cancel)
    {
        var packet = new byte[172];
        (packet[0], packet[1]) = (0x80, 0);
        try
        {
            for (var sequence = 0; ; sequence++)
            {
                (packet[2], packet[3]) = ((byte)(sequence >> 8), (byte)sequence);
                await phone.SendToAsync(packet, to, cancel);
                await Task.Delay(20, cancel);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
