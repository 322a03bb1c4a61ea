namespace Command.Contracts.Sessions;

/// <summary>One routable source of a session: a venue by venue id, or a camera feed by feed id.</summary>
[GenerateSerializer, Immutable, Alias("command.source-ref")]
public sealed record SourceRef(
    [property: Id(0)] SourceKind Kind,
    [property: Id(1)] string Id)
{
    public static SourceRef Venue(string venueId) => new(SourceKind.Venue, venueId);

    public static SourceRef Feed(string feedId) => new(SourceKind.Feed, feedId);

    public override string ToString() => Kind == SourceKind.Feed ? $"feed {Id}" : Id;
}
