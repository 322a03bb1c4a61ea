namespace Command.Web.Apis.Requests;

/// <summary>Names one venue: broadcast, roll call, add, check in.</summary>
public sealed record VenueRequest(string? VenueId);
