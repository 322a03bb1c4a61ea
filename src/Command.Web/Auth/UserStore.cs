using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Users from configuration, checked once. In the Development environment, and only there,
/// an <c>admin</c> / <c>admin</c> user bound to the root region exists unless one is configured.
/// </summary>
public sealed class UserStore
{
    public const string DevelopmentAdmin = "admin";

    private readonly PasswordHasher<CommandUser> hasher = new();
    private readonly Dictionary<string, CommandUser> users = new(StringComparer.OrdinalIgnoreCase);

    // Verifying against this keeps an unknown user as slow as a wrong password.
    private readonly CommandUser decoy;

    public UserStore(IOptions<AuthOptions> options, IHostEnvironment environment)
    {
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

            if (!users.TryAdd(u.Name.Trim(), new CommandUser(u.Name.Trim(), u.PasswordHash, u.Role, u.Region.Trim())))
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"user '{u.Name}' appears twice"]);
            }
        }

        decoy = new CommandUser("", "", CommandRoles.Viewer, "");
        decoy = decoy with { PasswordHash = hasher.HashPassword(decoy, Guid.NewGuid().ToString()) };
        if (environment.IsDevelopment() && !users.ContainsKey(DevelopmentAdmin))
        {
            var admin = new CommandUser(DevelopmentAdmin, "", CommandRoles.Admin, "");
            users[DevelopmentAdmin] = admin with { PasswordHash = hasher.HashPassword(admin, DevelopmentAdmin) };
        }
    }

    public static string Hash(string password) => new PasswordHasher<CommandUser>().HashPassword(null!, password);

    /// <summary>The user when the password matches; null for an unknown user or a wrong password alike.</summary>
    public CommandUser? Verify(string name, string password)
    {
        var found = users.GetValueOrDefault(name.Trim());
        var candidate = found ?? decoy;
        var result = hasher.VerifyHashedPassword(candidate, candidate.PasswordHash, password);
        return found is not null && result != PasswordVerificationResult.Failed ? found : null;
    }
}
