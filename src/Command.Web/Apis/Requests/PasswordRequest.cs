namespace Command.Web.Apis.Requests;

public sealed record PasswordRequest(string? NewPassword);
