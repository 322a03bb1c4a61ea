namespace Command.Web.Apis.Requests;

/// <summary>A camera feed to register; its credentials, if any, are stored encrypted and never shown again.</summary>
public sealed record CreateFeedRequest(string? Name, string? Url, string? Owner, string? RegionCode, string? Username = null, string? Password = null);
