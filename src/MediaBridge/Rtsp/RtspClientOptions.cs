namespace MediaBridge.Rtsp;

/// <summary>The RTSP client's timings: how long to wait for a reply, and how often to keep a session alive at most.</summary>
public sealed record RtspClientOptions
{
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest gap between keep-alives; shorter when the server's session timeout asks for it (half of it).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(25);

    public int MaxRedirects { get; init; } = 3;

    public string UserAgent { get; init; } = "Command MediaBridge";
}
