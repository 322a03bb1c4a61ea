namespace Command.Web.Apis.Requests;

public sealed record PollRequest(string[]? VenueIds, int? IntervalSeconds);
