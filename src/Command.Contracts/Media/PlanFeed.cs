namespace Command.Contracts.Media;

/// <summary>
/// A camera feed a session uses, as the bridge needs it to pull (RTSP) or listen for (RTP push) the
/// stream. Credentials travel only inside the cluster, decrypted for the bridge; never logged.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.plan-feed")]
public sealed record PlanFeed(
    [property: Id(0)] string FeedId,
    [property: Id(1)] string Url,
    [property: Id(2)] string? Username,
    [property: Id(3)] string? Password);
