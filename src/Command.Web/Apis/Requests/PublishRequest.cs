namespace Command.Web.Apis.Requests;

public sealed record PublishRequest(bool? Approved);
