namespace Command.Web.Auth;

/// <summary>Who is signed in, as <c>GET /api/auth/me</c> and sign-in answer it.</summary>
public sealed record SignedInUser(string Name, string Role, string Region);
