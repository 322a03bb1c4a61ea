using Command.Contracts.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Users from configuration, checked once, and users managed through the API, kept in the store
/// (<see cref="IUserDirectoryGrain"/>). A configured name cannot be taken by a managed user. In the
/// Development environment, and only there, an <c>admin</c> / <c>admin</c> user bound to the root region
/// exists unless one is configured.
/// </summary>
public sealed class UserStore
{
    public const string DevelopmentAdmin = "admin";

    private readonly PasswordHasher<CommandUser> hasher = new();
    private readonly Dictionary<string, CommandUser> configured = new(StringComparer.OrdinalIgnoreCase);
    private readonly IGrainFactory grains;

    // Verifying against this keeps an unknown user as slow as a wrong password.
    private readonly CommandUser decoy;

    public UserStore(IOptions<AuthOptions> options, IHostEnvironment environment, IGrainFactory grains)
    {
        this.grains = grains;
        foreach (var u in options.Value.Users)
        {
            if (string.IsNullOrWhiteSpace(u.Name) || string.IsNullOrWhiteSpace(u.PasswordHash) || string.IsNullOrWhiteSpace(u.Region))
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"user '{u.Name}' needs a name, a passwordHash and a region"]);
            }

            if (!CommandRoles.All.Contains(u.Role))
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"user '{u.Name}' has role '{u.Role}'; use one of {string.Join(", ", CommandRoles.All)}"]);
            }

            var secret = string.IsNullOrWhiteSpace(u.TotpSecret) ? null : u.TotpSecret.Trim();
            if (secret is not null && !Base32.TryDecode(secret, out _))
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"user '{u.Name}' has a totpSecret that is not base32"]);
            }

            if (!configured.TryAdd(u.Name.Trim(), new CommandUser(u.Name.Trim(), u.PasswordHash, u.Role, u.Region.Trim(), secret)))
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"user '{u.Name}' appears twice"]);
            }
        }

        decoy = new CommandUser("", "", CommandRoles.Viewer, "");
        decoy = decoy with { PasswordHash = hasher.HashPassword(decoy, Guid.NewGuid().ToString()) };
        if (environment.IsDevelopment() && !configured.ContainsKey(DevelopmentAdmin))
        {
            var admin = new CommandUser(DevelopmentAdmin, "", CommandRoles.Admin, "");
            configured[DevelopmentAdmin] = admin with { PasswordHash = hasher.HashPassword(admin, DevelopmentAdmin) };
        }
    }

    public IReadOnlyCollection<CommandUser> Configured => configured.Values;

    private IUserDirectoryGrain Directory => grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.DefaultKey);

    public static string Hash(string password) => new PasswordHasher<CommandUser>().HashPassword(null!, password);

    public bool IsConfigured(string name) => configured.ContainsKey(name.Trim());

    /// <summary>The user by name from configuration or the store, or null.</summary>
    public async Task<CommandUser?> FindAsync(string name) =>
        configured.GetValueOrDefault(name.Trim()) ?? FromRecord(await Directory.GetAsync(name.Trim()));

    public async Task<IReadOnlyList<CommandUser>> ListAsync() =>
        [.. configured.Values, .. (await Directory.ListAsync()).Select(r => FromRecord(r)!)];

    /// <summary>The user when the password matches; null for an unknown user or a wrong password alike.</summary>
    public async Task<CommandUser?> VerifyAsync(string name, string password)
    {
        var found = await FindAsync(name);
        var candidate = found ?? decoy;
        var result = hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, password);
        return found is not null && result != PasswordVerificationResult.Failed ? found : null;
    }

    public static CommandUser? FromRecord(UserRecord? r) =>
        r is null ? null : new CommandUser(r.Name, r.PasswordHash, r.Role, r.Region, r.TotpSecret, r.Disabled, Configured: false);
}
