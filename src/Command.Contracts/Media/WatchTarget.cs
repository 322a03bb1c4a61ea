namespace Command.Contracts.Media;

/// <summary>
/// The picture a watch shows: a camera (<see cref="FeedId"/>), or a venue of a live session
/// (<see cref="SessionId"/> and <see cref="VenueId"/>). A watch is ended only by naming its target.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.watch-target")]
public sealed record WatchTarget(
    [property: Id(0)] WatchKind Kind,
    [property: Id(1)] string? FeedId,
    [property: Id(2)] string? SessionId,
    [property: Id(3)] string? VenueId)
{
    public static WatchTarget OfFeed(string feedId) => new(WatchKind.Feed, feedId, null, null);

    public static WatchTarget OfVenue(string sessionId, string venueId) => new(WatchKind.Venue, null, sessionId, venueId);

    /// <summary>How logs and errors name it.</summary>
    public string Describe() => Kind == WatchKind.Feed ? $"camera {FeedId}" : $"venue {VenueId} of session {SessionId}";
}
