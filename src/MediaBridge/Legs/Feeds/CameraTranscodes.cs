using MediaBridge.Conference;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// The cameras of this bridge transcoded for sessions that cannot take them as they are: an H.264
/// camera for a VP8 session is sent, as the bridge carries it, through one ffmpeg into VP8, a second
/// camera source with its own keyframe cache shared by every VP8 session that uses the camera. It runs
/// from the first session's acquire until <see cref="FeedOptions.LetGo"/> after the last release, as
/// the camera itself is held.
/// </summary>
public sealed partial class CameraTranscodes(MediaEngine media, FeedOptions options, TimeProvider time, ILogger<CameraTranscodes> logger) : ICameraVariants, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<(CameraFeed Camera, VideoCodec Codec), Variant> variants = [];
    private bool disposed;

    /// <summary>Transcodes running now, used or waiting to be let go.</summary>
    public int Running
    {
        get
        {
            lock (gate)
            {
                return variants.Count;
            }
        }
    }

    /// <summary>The transcode of a camera into a codec, while it runs.</summary>
    public Transcoder? TranscoderOf(CameraFeed camera, VideoCodec codec)
    {
        lock (gate)
        {
            return variants.GetValueOrDefault((camera, codec))?.Transcoder;
        }
    }

    public CameraFeed? Acquire(CameraFeed camera, VideoCodec codec)
    {
        if (codec != VideoCodec.Vp8 || camera.Codec != VideoCodec.H264)
        {
            return null;
        }

        lock (gate)
        {
            if (disposed)
            {
                return null;
            }

            if (!variants.TryGetValue((camera, codec), out var variant))
            {
                var feed = media.CreateFeed(camera.FeedId, options.CachePackets, options.CacheBytes, codec);
                Transcoder transcoder;
                try
                {
                    transcoder = new Transcoder($"feed {camera.FeedId} to VP8", ("H264", FfmpegArguments.PayloadType, 90000, "packetization-mode=1"), codec, options, feed.Deliver, logger);
                }
                catch (Exception e)
                {
                    LogNotStarted(e, camera.FeedId);
                    return null;
                }

                variant = new Variant(feed, transcoder, transcoder.Send);
                camera.AddTap(variant.Tap);
                variants[(camera, codec)] = variant;
                LogStarted(camera.FeedId);
            }

            variant.Users++;
            variant.Idle?.Dispose();
            variant.Idle = null;
            return variant.Feed;
        }
    }

    public void Release(CameraFeed camera, VideoCodec codec)
    {
        lock (gate)
        {
            if (!variants.TryGetValue((camera, codec), out var variant) || --variant.Users > 0)
            {
                return;
            }

            variant.Idle = time.CreateTimer(_ => LetGo(camera, codec, variant), null, options.LetGo, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        List<(CameraFeed Camera, Variant Variant)> all;
        lock (gate)
        {
            disposed = true;
            all = [.. variants.Select(v => (v.Key.Camera, v.Value))];
            variants.Clear();
        }

        foreach (var (camera, variant) in all)
        {
            Stop(camera, variant);
        }
    }

    private void LetGo(CameraFeed camera, VideoCodec codec, Variant variant)
    {
        lock (gate)
        {
            if (variant.Users > 0 || !variants.Remove((camera, codec)))
            {
                return;
            }
        }

        Stop(camera, variant);
        LogLetGo(camera.FeedId);
    }

    private static void Stop(CameraFeed camera, Variant variant)
    {
        camera.RemoveTap(variant.Tap);
        variant.Idle?.Dispose();
        variant.Transcoder.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {FeedId} is transcoded to VP8 for the sessions that speak it")]
    private partial void LogStarted(string feedId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {FeedId}'s VP8 transcode is let go: no session uses it")]
    private partial void LogLetGo(string feedId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {FeedId} could not be transcoded to VP8; VP8 sessions go without it")]
    private partial void LogNotStarted(Exception e, string feedId);

    private sealed class Variant(CameraFeed feed, Transcoder transcoder, RtpSink tap)
    {
        public CameraFeed Feed { get; } = feed;

        public Transcoder Transcoder { get; } = transcoder;

        public RtpSink Tap { get; } = tap;

        public int Users { get; set; }

        public ITimer? Idle { get; set; }
    }
}
