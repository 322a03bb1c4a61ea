namespace Command.Web.Auth;

public sealed record IssuedToken(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, SignedInUser User);
