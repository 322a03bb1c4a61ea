namespace Command.Web.Apis.Requests;

/// <summary>A sign-in; <see cref="Code"/> is the one-time code of a user who has a second factor.</summary>
public sealed record SignInRequest(string? Username, string? Password, string? Code = null);
