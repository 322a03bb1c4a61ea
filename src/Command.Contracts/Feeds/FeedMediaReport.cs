namespace Command.Contracts.Feeds;

/// <summary>
/// A bridge's word on one camera it ingests: its status and what the stream carries. Bridges repeat it
/// while they hold the feed; a report not repeated within <see cref="Lease"/> lapses to offline.
/// <see cref="TranscodedFrom"/> names the camera's own codec when the bridge transcodes it into <see cref="Codec"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.feed-media-report")]
public sealed record FeedMediaReport(
    [property: Id(0)] string BridgeId,
    [property: Id(1)] FeedStatus Status,
    [property: Id(2)] string? Codec,
    [property: Id(3)] int? Width,
    [property: Id(4)] int? Height,
    [property: Id(5)] double? Fps,
    [property: Id(6)] double? BitrateKbps,
    [property: Id(7)] string? Error,
    [property: Id(8)] TimeSpan Lease,
    [property: Id(9)] string? TranscodedFrom = null);
