namespace Command.Contracts.Sessions;

/// <summary>One routable source of a session: a venue by venue id, a camera feed by feed id, or the upper session by uplink id.</summary>
[GenerateSerializer, Immutable, Alias("command.source-ref")]
public sealed record SourceRef(
    [property: Id(0)] SourceKind Kind,
    [property: Id(1)] string Id)
{
    public static SourceRef Venue(string venueId) => new(SourceKind.Venue, venueId);

    public static SourceRef Feed(string feedId) => new(SourceKind.Feed, feedId);

    public static SourceRef Uplink(string uplinkId) => new(SourceKind.Uplink, uplinkId);

    public override string ToString() => Kind switch
    {
        SourceKind.Feed => $"feed {Id}",
        SourceKind.Uplink => $"uplink {Id}",
        _ => Id,
    };
}
