namespace Command.Web.Apis.Requests;

public sealed record CreateFeedRequest(string? Name, string? Url, string? Owner, string? RegionCode);
