namespace Command.Contracts.Feeds;

/// <summary>
/// A camera feed as served by <c>GET /api/feeds</c>: the feed, whether it has credentials (never the credentials),
/// and its stream as the bridges last reported it (offline when none does), with the camera's own codec when a bridge transcodes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.feed-view")]
public sealed record FeedView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] string Owner,
    [property: Id(4)] string RegionCode,
    [property: Id(5)] bool HasCredentials,
    [property: Id(6)] FeedStatus Status,
    [property: Id(7)] string? Codec,
    [property: Id(8)] int? Width,
    [property: Id(9)] int? Height,
    [property: Id(10)] double? Fps,
    [property: Id(11)] double? BitrateKbps,
    [property: Id(12)] string? TranscodedFrom = null);
