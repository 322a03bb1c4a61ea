namespace Command.Contracts.Media;

/// <summary>A browser's request to join a session as one of its venues, with its SDP offer (RFC 9725 §4.2).</summary>
[GenerateSerializer, Immutable, Alias("command.browser-join")]
public sealed record BrowserJoin(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string VenueId,
    [property: Id(2)] string OfferSdp);
