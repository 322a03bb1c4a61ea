namespace Command.Web.Apis.Requests;

public sealed record ReasonRequest(string? Reason);
