namespace Command.Web.Apis.Requests;

public sealed record UpdateUserRequest(string? Role, string? Region);
