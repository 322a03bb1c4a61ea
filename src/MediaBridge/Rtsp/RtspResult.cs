namespace MediaBridge.Rtsp;

/// <summary>How a request went: the server's response, or why there is none (no connection, no answer in time, a reply that was not RTSP).</summary>
public sealed record RtspResult(RtspResponse? Response, string? Error)
{
    public bool Success => Response is { Success: true };

    public static RtspResult Failed(string error) => new(null, error);

    public override string ToString() => Response is { } r ? $"{r.Status} {r.Reason}" : Error ?? "";
}
