namespace Command.Web.Apis.Requests;

/// <summary>Select view (选看): the venue receives one source, a venue or an attached feed.</summary>
public sealed record ViewRequest(string? VenueId, string? TargetVenueId, string? TargetFeedId = null);
