using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// RTCP reports of a receive-only leg (a recorder's): a stream that has sent nothing must not send a sender
/// report, whose timestamp would not belong to the stream and would shift it at a receiver that syncs by it.
/// </summary>
public sealed class SenderReportTests
{
    [Fact]
    public async Task A_video_stream_that_has_sent_nothing_sends_no_sender_report()
    {
        var first = 30000 + (Random.Shared.Next(0, 1000) * 20);
        using var media = new MediaEngine(new MediaPorts(IPAddress.Loopback, first, first + 400), NullLogger<MediaEngine>.Instance) { ReportEvery = TimeSpan.FromMilliseconds(200) };
        // The rooms report (and send RTCP) only while someone takes their figures, as the leg planner does.
        media.Measured += (_, _) => { };
        using var audioRtp = Bound();
        using var audioRtcp = Bound();
        using var videoRtp = Bound();
        using var videoRtcp = Bound();
        var leg = media.CreateLeg($"sr-{Guid.NewGuid():N}", "~recorder");
        media.Negotiated(leg, new NegotiatedMedia(
            Stream(new SdpCodec(111, "opus", 48000, 2), audioRtp, audioRtcp),
            Stream(new SdpCodec(96, "H264", 90000, 1, "packetization-mode=1"), videoRtp, videoRtcp),
            VideoCodec.H264));
        media.Ready(leg);

        // Until the audio, which has sent its mix, has reported twice: the video had as many chances to report.
        var audioReports = SenderReportsAsync(audioRtcp, until: 2, TimeSpan.FromSeconds(15));
        var videoReports = SenderReportsAsync(videoRtcp, until: int.MaxValue, TimeSpan.FromSeconds(15), stopWith: audioReports);

        Assert.True((await audioReports).Count >= 2, "the audio stream sent its sender reports");
        Assert.All(await audioReports, r => Assert.NotEqual(0u, r.Packets));
        Assert.Empty(await videoReports);
        media.Remove(leg);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static NegotiatedStream Stream(SdpCodec codec, Socket rtp, Socket rtcp) =>
        new(codec, null, (IPEndPoint)rtp.LocalEndPoint!, (IPEndPoint)rtcp.LocalEndPoint!, false, MediaDirection.RecvOnly);

    /// <summary>The sender reports (packet type 200) that arrive, with the packet count each states, until there are <paramref name="until"/>, <paramref name="stopWith"/> ends or <paramref name="window"/> runs out.</summary>
    private static async Task<List<(uint Timestamp, uint Packets)>> SenderReportsAsync(Socket socket, int until, TimeSpan window, Task? stopWith = null)
    {
        var reports = new List<(uint, uint)>();
        var buffer = new byte[1500];
        using var stop = new CancellationTokenSource(window);
        _ = stopWith?.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        try
        {
            while (reports.Count < until)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (length >= 28 && buffer[1] == 200)
                {
                    reports.Add((BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(20))));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return reports;
    }
}
