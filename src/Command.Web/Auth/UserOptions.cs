namespace Command.Web.Auth;

/// <summary>One configured user: <c>Command:Auth:Users:N</c>.</summary>
public sealed class UserOptions
{
    public string Name { get; set; } = "";

    /// <summary>An ASP.NET Core Identity password hash; make one with <c>dotnet run --project src/Command.Silo -- hash-password</c>.</summary>
    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>A base32 TOTP secret (RFC 6238); when set, this user signs in with a one-time code too.</summary>
    public string? TotpSecret { get; set; }
}
