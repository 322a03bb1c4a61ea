namespace Command.Web.Apis.Requests;

/// <summary>Select view (选看): the venue receives one source, a venue, an attached feed or a relay session's uplink.</summary>
public sealed record ViewRequest(string? VenueId, string? TargetVenueId, string? TargetFeedId = null, string? TargetUplinkId = null);
