namespace Command.Web.Apis.Requests;

public sealed record FeedRequest(string? FeedId);
