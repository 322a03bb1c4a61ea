namespace Command.Web.Auth;

/// <summary>A user as the web host knows it once configuration is checked.</summary>
public sealed record CommandUser(string Name, string PasswordHash, string Role, string Region);
