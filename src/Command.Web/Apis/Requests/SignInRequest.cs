namespace Command.Web.Apis.Requests;

public sealed record SignInRequest(string? Username, string? Password);
