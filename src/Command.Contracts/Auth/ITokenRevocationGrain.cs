namespace Command.Contracts.Auth;

/// <summary>
/// Revoked sign-ins of one user, kept in the store so every web host refuses them alike. Keyed by the
/// lower-cased user name. A single token is revoked by its id until it would have expired anyway; all
/// of a user's tokens at once by moving the "valid after" time forward (password change, disable).
/// </summary>
public interface ITokenRevocationGrain : IGrainWithStringKey
{
    static string KeyOf(string userName) => userName.Trim().ToLowerInvariant();

    Task RevokeAsync(string tokenId, DateTimeOffset expiresAt);

    /// <summary>Refuses every token issued before now; returns that time.</summary>
    Task<DateTimeOffset> RevokeAllAsync();

    Task<TokenRevocations> GetAsync();
}
