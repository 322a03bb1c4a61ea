namespace MediaBridge.Legs.Feeds;

/// <summary>How cameras are held: how long one is kept after its last session lets it go, how often it is reported, when it counts as dropped, and how retries back off.</summary>
public sealed record FeedOptions
{
    /// <summary>A camera no session uses is let go this long after the last one left, so a quick re-attach finds it still flowing.</summary>
    public TimeSpan LetGo { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each ingested camera's status and stream figures go to its feed; the lease is three of these.</summary>
    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A camera that sends no packet for this long is dropped (pulled) or back to connecting (pushed).</summary>
    public TimeSpan Silence { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before a dropped camera is tried again; it doubles on each failure up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryFirst { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds of each camera's keyframe cache, whichever is reached first: room for a 4 s group at 4 Mbit/s in 1,200-byte packets.</summary>
    public int CachePackets { get; init; } = 2000;

    public int CacheBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>The ffmpeg that transcodes cameras a session cannot take as they are (H.265 to H.264, H.264 to VP8).</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>
    /// A transcode's bit rate is the camera's own, measured over this long before ffmpeg starts (so the
    /// first picture may come that much later); <see cref="TranscodeKbps"/> when nothing came to measure.
    /// </summary>
    public TimeSpan TranscodeMeasure { get; init; } = TimeSpan.FromSeconds(1);

    public int TranscodeKbps { get; init; } = 1500;

    /// <summary>How often a transcode sends a keyframe.</summary>
    public TimeSpan TranscodeKeyframeEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait before an ffmpeg that exited is started again; it doubles on each exit up to <see cref="TranscodeRestartMax"/>, and starts over once one ran that long.</summary>
    public TimeSpan TranscodeRestartFirst { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan TranscodeRestartMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a transcoded camera may take to its first picture (ffmpeg starting, the camera's next keyframe) before it counts as silent.</summary>
    public TimeSpan TranscodeFirstPicture { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Lease => ReportEvery * 3;
}
