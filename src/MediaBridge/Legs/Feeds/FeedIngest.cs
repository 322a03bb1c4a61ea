using System.Net;
using System.Net.Sockets;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;
using MediaBridge.Rtsp;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// Brings one camera's H.264 video into the bridge, once, for every session that uses it: pulled over
/// RTSP or listened for as pushed RTP. A pull that fails, closes or goes silent is dropped and tried
/// again after 1, 2, 4 … up to 30 s (reset once media flowed); a push port waits for packets as long
/// as it is held. Status goes connecting → online → offline (while waiting to retry) → connecting.
/// It measures what it carries: codec, profile and size from the SPS, pictures per second from the
/// RTP timestamps, and bit rate. Nothing a camera or a stranger sends escapes as an exception.
/// A pulled camera that offers H.265 and no H.264 is still pulled by the bridge, but its RTP goes through
/// a supervised ffmpeg (<see cref="Transcoder"/>) into H.264, and what comes back is ingested as if pushed:
/// the rest of the bridge sees an H.264 camera, reported as transcoded from H.265.
/// </summary>
public sealed partial class FeedIngest : IFeedIngest
{
    private readonly PlanFeed feed;
    private readonly FeedAddress? address;
    private readonly CameraFeed camera;
    private readonly FeedOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private readonly Task running;
    private FeedStatus status = FeedStatus.Connecting;
    private string? error;
    private string? codec;
    private int? width;
    private int? height;
    private long bytes;
    private long pictures;
    private long lastPacketTicks;
    private uint? lastTimestamp;
    private uint? ssrc;
    private long measuredAt;
    private int payloadType;
    private string? transcodedFrom;

    public FeedIngest(PlanFeed feed, CameraFeed camera, FeedOptions options, TimeProvider time, ILogger logger)
    {
        this.feed = feed;
        this.camera = camera;
        this.options = options;
        this.time = time;
        this.logger = logger;
        measuredAt = time.GetTimestamp();
        if (FeedAddress.TryParse(feed.Url, out var parsed, out var problem))
        {
            address = parsed;
            payloadType = parsed.PayloadType;
        }
        else
        {
            (status, error) = (FeedStatus.Offline, problem);
        }

        running = address is null ? Task.CompletedTask : Task.Run(() => RunAsync(stopping.Token));
    }

    public FeedStatus Status
    {
        get
        {
            lock (gate)
            {
                return status;
            }
        }
    }

    /// <summary>Packets taken from the camera (its payload type), and packets refused as not the camera's video.</summary>
    public long Accepted { get; private set; }

    public long Refused { get; private set; }

    public FeedMediaReport Measure(TimeSpan lease)
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var seconds = Math.Max(0.001, time.GetElapsedTime(measuredAt, now).TotalSeconds);
            measuredAt = now;
            var online = status == FeedStatus.Online;
            var report = new FeedMediaReport("", status, codec, width, height,
                online ? Math.Round(pictures / seconds, 1) : null, online ? Math.Round(bytes * 8 / 1000.0 / seconds, 1) : null, error, lease, transcodedFrom);
            (bytes, pictures) = (0, 0);
            return report;
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        try
        {
            running.Wait(TimeSpan.FromSeconds(3));
        }
        catch (AggregateException)
        {
        }

        stopping.Dispose();
    }

    /// <summary>One RTP packet from the camera, on the pull's or the port's receive thread.</summary>
    internal void OnPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > RtpSocket.MaxPacket || !RtpHeader.TryRead(packet, out var header) || header.PayloadType != payloadType || header.PayloadLength == 0)
        {
            Refused++;
            return;
        }

        var now = time.GetTimestamp();
        lock (gate)
        {
            if (ssrc is { } latched && latched != header.Ssrc && time.GetElapsedTime(lastPacketTicks, now) < TimeSpan.FromSeconds(1))
            {
                // A second sender on a push port: the one that is flowing keeps it.
                Refused++;
                return;
            }

            ssrc = header.Ssrc;
            Accepted++;
            lastPacketTicks = now;
            bytes += packet.Length;
            if (lastTimestamp != header.Timestamp)
            {
                pictures++;
                lastTimestamp = header.Timestamp;
            }

            if (status != FeedStatus.Online)
            {
                (status, error) = (FeedStatus.Online, null);
            }

            NoteParameterSets(RtpHeader.Payload(packet, header));
        }

        try
        {
            camera.Deliver(packet);
        }
        catch (Exception e)
        {
            LogDeliveryFailed(e, feed.FeedId);
        }
    }

    private void NoteParameterSets(ReadOnlySpan<byte> payload)
    {
        var type = payload[0] & 0x1F;
        if (type == 7)
        {
            NoteSps(payload);
        }
        else if (type == 24)
        {
            for (var at = 1; at + 2 < payload.Length;)
            {
                var size = (payload[at] << 8) | payload[at + 1];
                at += 2;
                if (size == 0 || at + size > payload.Length)
                {
                    return;
                }

                if ((payload[at] & 0x1F) == 7)
                {
                    NoteSps(payload.Slice(at, size));
                }

                at += size;
            }
        }
    }

    private void NoteSps(ReadOnlySpan<byte> nal)
    {
        if (SpsParser.TryParse(nal, out var sps))
        {
            (codec, width, height) = (sps.Describe(), sps.Width, sps.Height);
        }
    }

    private void SetStatus(FeedStatus value, string? why)
    {
        lock (gate)
        {
            (status, error) = (value, why);
        }
    }

    private async Task RunAsync(CancellationToken cancel)
    {
        var delay = options.RetryFirst;
        while (!cancel.IsCancellationRequested)
        {
            SetStatus(FeedStatus.Connecting, Status == FeedStatus.Offline ? error : null);
            long before;
            lock (gate)
            {
                before = Accepted;
            }

            string why;
            try
            {
                why = address!.Pull ? await PullAsync(address, cancel) : await ListenAsync(address, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                why = e.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (cancel.IsCancellationRequested)
            {
                return;
            }

            delay = Accepted > before ? options.RetryFirst : delay;
            SetStatus(FeedStatus.Offline, why);
            LogDropped(feed.FeedId, why, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, time, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.RetryMax.Ticks));
        }
    }

    /// <summary>One RTSP session, until it fails, closes or goes silent; returns why it ended.</summary>
    private async Task<string> PullAsync(FeedAddress from, CancellationToken cancel)
    {
        await using var client = new RtspClient(from.Url, feed.Username, feed.Password, new RtspClientOptions { ResponseTimeout = TimeSpan.FromSeconds(5) });
        Transcoder? transcoder = null;
        client.Rtp = (_, packet) =>
        {
            if (transcoder is { } through)
            {
                through.Send(packet);
            }
            else
            {
                OnPacket(packet);
            }
        };
        try
        {
            return await PullAsync(from, client, t => transcoder = t, cancel);
        }
        finally
        {
            transcoder?.Dispose();
        }
    }

    private async Task<string> PullAsync(FeedAddress from, RtspClient client, Action<Transcoder> transcoding, CancellationToken cancel)
    {
        if ((await client.ConnectAsync(cancel)).Error is { } failed)
        {
            return failed;
        }

        await client.OptionsAsync(cancel);
        var (described, description) = await client.DescribeAsync(cancel);
        if (description?.Video is null)
        {
            return described.Error ?? $"DESCRIBE answered {described.Response?.Status} with no video";
        }

        var videos = description.Tracks.Where(t => t.Media == "video").ToList();
        var video = videos.Find(t => IsCodec(t, "H264")) ?? videos.Find(t => IsCodec(t, "H265") || IsCodec(t, "HEVC")) ?? videos[0];
        var firstPicture = options.Silence;
        if (IsCodec(video, "H264"))
        {
            payloadType = video.PayloadType;
            camera.Cache.SetParameterSets(video.ParameterSets);
            lock (gate)
            {
                transcodedFrom = null;
                foreach (var set in video.ParameterSets.Where(s => s.Length > 0 && (s[0] & 0x1F) == 7))
                {
                    NoteSps(set);
                }
            }
        }
        else if (!IsCodec(video, "H265") && !IsCodec(video, "HEVC"))
        {
            return $"{(video.Codec.Length == 0 ? $"payload type {video.PayloadType}" : video.Codec)} not supported; cameras must send H.264 or H.265";
        }
        else
        {
            // ffmpeg takes the camera's RTP from the bridge, so the camera's URL and credentials stay out of its command line.
            lock (gate)
            {
                (codec, width, height, transcodedFrom, payloadType) = (null, null, null, "H265", FfmpegArguments.PayloadType);
            }

            transcoding(new Transcoder($"feed {feed.FeedId} from H.265", ("H265", video.PayloadType, video.ClockRate, video.Fmtp), VideoCodec.H264, options, OnPacket, logger));
            LogTranscoding(feed.FeedId);
            firstPicture = options.TranscodeFirstPicture;
        }

        var setup = await client.SetupAsync(video, from.Udp, cancel);
        if (!setup.Success)
        {
            return setup.Error ?? $"SETUP answered {setup.Response?.Status}";
        }

        lock (gate)
        {
            lastPacketTicks = time.GetTimestamp();
        }

        var play = await client.PlayAsync(cancel);
        if (!play.Success)
        {
            return play.Error ?? $"PLAY answered {play.Response?.Status}";
        }

        var why = await WatchAsync(() => client.Connected ? null : "the RTSP connection closed", cancel, firstPicture: firstPicture);
        if (cancel.IsCancellationRequested)
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.TeardownAsync(quick.Token);
        }

        return why;
    }

    /// <summary>A push port, held until its socket fails; silence only turns the status back to connecting.</summary>
    private async Task<string> ListenAsync(FeedAddress at, CancellationToken cancel)
    {
        using var socket = new Socket(at.Listen!.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 1 << 20;
        socket.Bind(at.Listen);
        var buffer = new byte[RtpSocket.MaxPacket];
        var from = new IPEndPoint(at.Listen.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var watching = WatchAsync(() => null, stop.Token, drop: false);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancel);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    continue;
                }

                OnPacket(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }

        return "stopped";
    }

    /// <summary>Checks twice a second for silence (and whatever else <paramref name="broken"/> says); returns why the camera counts as dropped.</summary>
    private async Task<string> WatchAsync(Func<string?> broken, CancellationToken cancel, bool drop = true, TimeSpan? firstPicture = null)
    {
        long acceptedAtStart;
        lock (gate)
        {
            acceptedAtStart = Accepted;
        }

        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, options.Silence.TotalMilliseconds / 2)), time, cancel);
                if (broken() is { } why)
                {
                    return why;
                }

                long last;
                TimeSpan limit;
                lock (gate)
                {
                    last = lastPacketTicks;
                    limit = Accepted == acceptedAtStart && firstPicture is { } first ? first : options.Silence;
                }

                if (time.GetElapsedTime(last) > limit)
                {
                    var silent = $"no packets for {options.Silence.TotalSeconds:0.#} s";
                    if (drop)
                    {
                        return silent;
                    }

                    lock (gate)
                    {
                        if (status == FeedStatus.Online)
                        {
                            (status, error) = (FeedStatus.Connecting, silent);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return "stopped";
    }

    private static bool IsCodec(RtspTrack track, string name) => track.Codec.Equals(name, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {FeedId} sends H.265: it is transcoded to H.264")]
    private partial void LogTranscoding(string feedId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A packet of feed {FeedId} could not be passed on; the feed carries on")]
    private partial void LogDeliveryFailed(Exception e, string feedId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {FeedId} dropped ({Reason}); trying again in {Seconds} s")]
    private partial void LogDropped(string feedId, string reason, double seconds);
}
