namespace Command.Web.Auth;

/// <summary>
/// A user as the web host knows it: from configuration (read-only through the API) or from the store.
/// <see cref="TotpSecret"/> is base32; when set, sign-in needs a one-time code as well.
/// </summary>
public sealed record CommandUser(
    string Name,
    string PasswordHash,
    string Role,
    string Region,
    string? TotpSecret = null,
    bool Disabled = false,
    bool Configured = true);
