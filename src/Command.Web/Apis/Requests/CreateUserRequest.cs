namespace Command.Web.Apis.Requests;

public sealed record CreateUserRequest(string? Name, string? Password, string? Role, string? Region);
