namespace Command.Contracts.Media;

/// <summary>
/// A browser's request to watch a camera or a venue without joining a session, with its SDP offer
/// (WHEP, the receiving twin of WHIP). <see cref="Feed"/> is the camera as the bridge must ingest it,
/// credentials decrypted: the registry fills it in from the feed, a caller never does; never logged.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.watch-request")]
public sealed record WatchRequest(
    [property: Id(0)] WatchTarget Target,
    [property: Id(1)] string OfferSdp)
{
    [Id(2)]
    public PlanFeed? Feed { get; init; }
}
