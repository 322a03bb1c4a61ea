namespace Command.Web.Apis.Requests;

public sealed record ViewRequest(string? VenueId, string? TargetVenueId);
