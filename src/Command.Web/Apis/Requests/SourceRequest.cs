using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

/// <summary>Names one routable source: a venue, an attached camera feed or a relay session's uplink, exactly one of them.</summary>
public sealed record SourceRequest(string? VenueId, string? FeedId, string? UplinkId = null)
{
    public SourceRef ToSource() => Sources.ExactlyOne(VenueId, FeedId, UplinkId, "venueId", "feedId", "uplinkId");
}
