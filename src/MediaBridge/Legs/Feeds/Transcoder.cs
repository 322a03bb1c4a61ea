using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// One camera stream through a supervised ffmpeg into another codec, all on loopback: the bridge sends
/// the camera's RTP (its payload type set to the one the SDP names) to the port this run of ffmpeg
/// listens on, and ffmpeg's RTP comes back to a port of ours and goes to <c>output</c>. ffmpeg is started
/// again with back-off when it exits, on a fresh input port each time, and killed when this is disposed.
/// Its bit rate is the camera's: before each start it measures what the camera sends (see
/// <see cref="FeedOptions.TranscodeMeasure"/>).
/// </summary>
public sealed partial class Transcoder : IDisposable
{
    private readonly string encoding;
    private readonly int payloadType;
    private readonly int clockRate;
    private readonly string? fmtp;
    private readonly RtpSink output;
    private readonly VideoCodec to;
    private readonly FeedOptions options;
    private readonly ILogger logger;
    private readonly string name;
    private readonly Socket receiver;
    private readonly Socket sender;
    private readonly SupervisedProcess process;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task receiving;
    private readonly Lock sending = new();
    private readonly byte[] scratch = new byte[RtpSocket.MaxPacket];
    private IPEndPoint? input;
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long firstIn;

    public Transcoder(string name, (string Encoding, int PayloadType, int ClockRate, string? Fmtp) from, VideoCodec to, FeedOptions options, RtpSink output, ILogger logger)
    {
        this.name = name;
        (encoding, payloadType, clockRate, fmtp) = from;
        this.output = output;
        this.to = to;
        this.options = options;
        this.logger = logger;
        receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 1 << 20 };
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        OutputPort = ((IPEndPoint)receiver.LocalEndPoint!).Port;
        receiving = Task.Run(() => ReceiveAsync(stopping.Token));
        process = new SupervisedProcess(name, options.Ffmpeg, Prepare, options.TranscodeRestartFirst, options.TranscodeRestartMax, logger);
    }

    public int OutputPort { get; }

    public SupervisedProcess Process => process;

    /// <summary>Packets sent to ffmpeg, and packets it sent back.</summary>
    public long PacketsIn => Interlocked.Read(ref packetsIn);

    public long PacketsOut => Interlocked.Read(ref packetsOut);

    /// <summary>The bit rate ffmpeg was last started with.</summary>
    public int Kbps { get; private set; }

    /// <summary>One RTP packet of the camera, sent on to ffmpeg (dropped while no ffmpeg runs).</summary>
    public void Send(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < RtpHeader.FixedLength || packet.Length > scratch.Length)
        {
            return;
        }

        lock (sending)
        {
            firstIn = firstIn == 0 ? Stopwatch.GetTimestamp() : firstIn;
            bytesIn += packet.Length;
            if (input is not { } port)
            {
                return;
            }

            packet.CopyTo(scratch);
            RtpHeader.SetPayloadType(scratch, (byte)payloadType);
            try
            {
                sender.SendTo(scratch.AsSpan(0, packet.Length), SocketFlags.None, port);
                packetsIn++;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // ffmpeg between runs: the camera's next keyframe starts the next one.
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        process.Dispose();
        receiver.Dispose();
        try
        {
            receiving.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        lock (sending)
        {
            input = null;
            sender.Dispose();
        }

        stopping.Dispose();
    }

    /// <summary>An even port with the one above it free (ffmpeg takes both, RTP and RTCP), and the SDP that names it.</summary>
    private IReadOnlyList<string> Prepare()
    {
        Kbps = MeasureKbps();
        var port = 0;
        for (var attempt = 0; attempt < 20 && port == 0; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var candidate = ((IPEndPoint)probe.LocalEndPoint!).Port & ~1;
            try
            {
                using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                using var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Dispose();
                rtp.Bind(new IPEndPoint(IPAddress.Loopback, candidate));
                rtcp.Bind(new IPEndPoint(IPAddress.Loopback, candidate + 1));
                port = candidate;
            }
            catch (SocketException)
            {
            }
        }

        lock (sending)
        {
            input = new IPEndPoint(IPAddress.Loopback, port);
        }

        return FfmpegArguments.Transcode(FfmpegArguments.InputSdp(port, payloadType, encoding, clockRate, fmtp), to, OutputPort, Kbps, options.TranscodeKeyframeEvery);
    }

    /// <summary>The camera's rate since its first packet, once that is <see cref="FeedOptions.TranscodeMeasure"/> ago (waiting at most twice that for it).</summary>
    private int MeasureKbps()
    {
        var waiting = Stopwatch.GetTimestamp();
        while (true)
        {
            long first, bytes;
            lock (sending)
            {
                (first, bytes) = (firstIn, bytesIn);
            }

            var measured = first == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first);
            if (measured >= options.TranscodeMeasure && bytes > 0)
            {
                return (int)Math.Clamp(bytes * 8 / 1000.0 / measured.TotalSeconds, 100, 20_000);
            }

            if (Stopwatch.GetElapsedTime(waiting) >= options.TranscodeMeasure * 2 || stopping.Token.WaitHandle.WaitOne(50))
            {
                return options.TranscodeKbps;
            }
        }
    }

    private async Task ReceiveAsync(CancellationToken cancel)
    {
        var buffer = new byte[RtpSocket.MaxPacket];
        var from = new IPEndPoint(IPAddress.Any, 0);
        while (!cancel.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await receiver.ReceiveFromAsync(buffer, SocketFlags.None, from, cancel)).ReceivedBytes;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref packetsOut);
            try
            {
                output(buffer.AsSpan(0, length));
            }
            catch (Exception e)
            {
                LogOutputFailed(e, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name}: a transcoded packet could not be passed on; the transcode carries on")]
    private partial void LogOutputFailed(Exception e, string name);
}
