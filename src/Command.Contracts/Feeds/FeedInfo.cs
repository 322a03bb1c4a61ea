namespace Command.Contracts.Feeds;

/// <summary>A camera source (图像监控信号): an RTSP or RTP url owned by an organisation.</summary>
[GenerateSerializer, Immutable, Alias("command.feed")]
public sealed record FeedInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Url,
    [property: Id(3)] string Owner,
    [property: Id(4)] string RegionCode);
