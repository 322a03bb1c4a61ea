using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaBridge.Rtsp;

namespace MediaBridge.Tests.Rtsp;

/// <summary>The RTSP client against GStreamer's RTSP server, and against servers that answer nonsense.</summary>
public sealed class RtspClientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pulls_h264_from_a_gstreamer_camera_and_depacketizes_whole_units_with_a_keyframe(bool udp)
    {
        var port = FreePort();
        using var camera = Camera(port);
        await using var client = new RtspClient($"rtsp://127.0.0.1:{port}/cam", options: new RtspClientOptions { KeepAlive = TimeSpan.FromMilliseconds(500) });
        var units = new ConcurrentQueue<H264AccessUnit>();
        H264Depacketizer? depacketizer = null;
        var lockObject = new Lock();
        client.Rtp = (_, packet) =>
        {
            lock (lockObject)
            {
                foreach (var unit in depacketizer!.Push(packet))
                {
                    units.Enqueue(unit);
                }
            }
        };

        Assert.Null((await ConnectWhenListeningAsync(client)).Error);
        Assert.True((await client.OptionsAsync(TestContext.Current.CancellationToken)).Success);
        var (described, description) = await client.DescribeAsync(TestContext.Current.CancellationToken);
        Assert.True(described.Success, described.ToString());
        var video = description!.Video!;
        Assert.Equal("H264", video.Codec);
        depacketizer = new H264Depacketizer(video.ParameterSets);
        var setup = await client.SetupAsync(video, udp, TestContext.Current.CancellationToken);
        Assert.True(setup.Success, setup.ToString());
        Assert.NotNull(client.Session);
        Assert.True((await client.PlayAsync(TestContext.Current.CancellationToken)).Success);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((units.Count < 10 || !units.Any(u => u.Keyframe) || client.KeepAlivesSent < 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Contains(units, u => u.Keyframe && u.Nals.Any(n => (n[0] & 0x1F) == 7) && u.Nals.Any(n => (n[0] & 0x1F) == 5));
        Assert.True(units.Count >= 10, $"{units.Count} units");
        Assert.All(units, u => Assert.Contains(u.Nals, n => (n[0] & 0x1F) is 1 or 5));
        Assert.True(client.KeepAlivesSent >= 1);
        Assert.True((await client.TeardownAsync(TestContext.Current.CancellationToken)).Success);
    }

    [Fact]
    public async Task A_redirect_is_followed_and_a_401_answered_with_digest()
    {
        var describeBody = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:track1\r\n";
        using var target = new ScriptedServer(request => request.Contains("Authorization: Digest", StringComparison.Ordinal)
            ? $"RTSP/1.0 200 OK\r\nCSeq: {CSeq(request)}\r\nContent-Length: {describeBody.Length}\r\n\r\n{describeBody}"
            : $"RTSP/1.0 401 Unauthorized\r\nCSeq: {CSeq(request)}\r\nWWW-Authenticate: Digest realm=\"cam\", nonce=\"n1\"\r\n\r\n");
        using var first = new ScriptedServer(request => $"RTSP/1.0 302 Moved\r\nCSeq: {CSeq(request)}\r\nLocation: rtsp://127.0.0.1:{target.Port}/live\r\n\r\n");
        await using var client = new RtspClient($"rtsp://127.0.0.1:{first.Port}/cam", "admin", "pw");

        Assert.Null((await client.ConnectAsync(TestContext.Current.CancellationToken)).Error);
        var (result, description) = await client.DescribeAsync(TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.ToString());
        Assert.Equal($"rtsp://127.0.0.1:{target.Port}/live/track1", description!.Video!.Control);
    }

    [Fact]
    public async Task Garbage_cut_replies_and_broken_frames_from_a_server_never_throw_out_of_the_client()
    {
        var random = new Random(10);
        for (var round = 0; round < 30; round++)
        {
            var reply = round % 3 == 0
                ? RtspWireTests.RandomBytes(random, random.Next(1, 400))
                : RtspWireTests.Mutate(random, Encoding.UTF8.GetBytes("$\0\0\x10short\r\nRTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 40\r\n\r\nv=0\r\n"));
            using var server = new ScriptedServer(_ => reply, closeAfter: round % 2 == 0);
            await using var client = new RtspClient($"rtsp://127.0.0.1:{server.Port}/x", options: new RtspClientOptions { ResponseTimeout = TimeSpan.FromMilliseconds(300) });
            client.Rtp = (_, _) => throw new InvalidOperationException("no track was set up");
            await client.ConnectAsync(TestContext.Current.CancellationToken);
            var (result, _) = await client.DescribeAsync(TestContext.Current.CancellationToken);
            Assert.True(result.Error is not null || result.Response is not null);
            await client.PlayAsync(TestContext.Current.CancellationToken);
            await client.TeardownAsync(TestContext.Current.CancellationToken);
        }
    }

    private static string CSeq(string request) => request.Split("CSeq: ")[1].Split('\r')[0];

    private static async Task<RtspResult> ConnectWhenListeningAsync(RtspClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var result = await client.ConnectAsync(TestContext.Current.CancellationToken);
            if (result.Error is null || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static ProcessHandle Camera(int port)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Rtsp", "rtsp_camera.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new ProcessHandle(Process.Start(start)!);
    }

    private sealed class ProcessHandle(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }

    /// <summary>A TCP server that answers each request it reads with what <paramref name="answer"/> says.</summary>
    private sealed class ScriptedServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stopping = new();

        public ScriptedServer(Func<string, object> answer, bool closeAfter = false)
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = Task.Run(async () =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await listener.AcceptTcpClientAsync(stopping.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    _ = Task.Run(async () =>
                    {
                        using var c = client;
                        var s = c.GetStream();
                        var buffer = new byte[8192];
                        try
                        {
                            while (true)
                            {
                                var read = await s.ReadAsync(buffer, stopping.Token);
                                if (read == 0)
                                {
                                    return;
                                }

                                var reply = answer(Encoding.UTF8.GetString(buffer, 0, read));
                                await s.WriteAsync(reply as byte[] ?? Encoding.UTF8.GetBytes((string)reply), stopping.Token);
                                if (closeAfter)
                                {
                                    return;
                                }
                            }
                        }
                        catch (Exception)
                        {
                        }
                    });
                }
            });
        }

        public int Port { get; }

        public void Dispose()
        {
            stopping.Cancel();
            listener.Stop();
            stopping.Dispose();
        }
    }
}
