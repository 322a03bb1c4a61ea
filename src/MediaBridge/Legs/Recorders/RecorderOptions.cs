namespace MediaBridge.Legs.Recorders;

/// <summary>How recordings are written: where, in what segments, by which ffmpeg, the disk floor, and how parts are watched and restarted.</summary>
public sealed record RecorderOptions
{
    /// <summary>The folder holding one folder per recording.</summary>
    public required string Root { get; init; }

    /// <summary>Recording stops while the disk under <see cref="Root"/> has less free space than this.</summary>
    public long MinFreeBytes { get; init; } = 1024L * 1024 * 1024;

    public double SegmentSeconds { get; init; } = 2;

    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>How often the disk floor is checked and each part's length reported.</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// ffmpeg ends by itself after this long without a packet, so a part outlives a bridge killed with
    /// -9 only briefly and closes its playlist; the room sends audio every 20 ms while the recorder is in it.
    /// </summary>
    public TimeSpan SilenceExit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before a part whose ffmpeg ended is followed by a new one; it doubles on each quick failure up to <see cref="RestartMax"/>.</summary>
    public TimeSpan RestartFirst { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a recorder waits for the session's video codec to be fixed before it records sound alone.</summary>
    public TimeSpan VideoWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long ffmpeg is given to close its last segment when a recording stops, before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(3);
}
