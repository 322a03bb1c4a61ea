namespace MediaBridge.Rtsp;

/// <summary>What <see cref="RtspReader"/> found at the start of the bytes it was given.</summary>
public enum RtspItemKind
{
    /// <summary>Not a whole item yet: read more.</summary>
    NeedMore,

    /// <summary>Bytes that are no item, skipped to find the next one.</summary>
    Skipped,

    Frame,
    Response,
    Request,
}
