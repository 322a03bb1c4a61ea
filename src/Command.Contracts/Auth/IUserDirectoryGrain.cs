using System.Collections.Immutable;

namespace Command.Contracts.Auth;

/// <summary>
/// The users managed through the API (configuration users are not here). Names are unique regardless
/// of case. A password change, a disable and a change of role or region revoke every token the user
/// holds (<see cref="ITokenRevocationGrain"/>), since those tokens carry what no longer holds.
/// </summary>
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    const string DefaultKey = "users";

    Task<ImmutableArray<UserRecord>> ListAsync();

    /// <summary>The user, or null when there is none by this name.</summary>
    Task<UserRecord?> GetAsync(string name);

    /// <summary>Conflict when the name is taken.</summary>
    Task<UserRecord> CreateAsync(string name, string passwordHash, string role, string region);

    Task<UserRecord> UpdateAsync(string name, string role, string region);

    Task<UserRecord> SetPasswordAsync(string name, string passwordHash);

    Task<UserRecord> SetDisabledAsync(string name, bool disabled);

    /// <summary>A base32 TOTP secret, or null to sign in with a password alone.</summary>
    Task<UserRecord> SetTotpSecretAsync(string name, string? secret);
}
