namespace Command.Web.Apis.Requests;

public sealed record LockRequest(bool? Locked);
