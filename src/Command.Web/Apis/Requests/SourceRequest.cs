using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

/// <summary>Names one routable source: a venue or an attached camera feed, exactly one of them.</summary>
public sealed record SourceRequest(string? VenueId, string? FeedId)
{
    public SourceRef ToSource() => Sources.ExactlyOne(VenueId, FeedId, "venueId", "feedId");
}
