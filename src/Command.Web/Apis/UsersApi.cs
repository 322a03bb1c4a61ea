using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Auth;
using Command.Web.Apis.Requests;
using Command.Web.Auth;
using Command.Web.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// Users as data, for admins: each admin sees and manages the users of its region's subtree only, and
/// may place them only there. Configuration users are shown but read-only (409). The audit trail records
/// every change; password fields are masked there by name.
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Users);
        group.MapGet("/", ListAsync).WithSummary("The users within your region's subtree.");
        group.MapPost("/", CreateAsync).WithSummary("Create a user {name, password, role, region}.");
        group.MapGet("/{id}", GetAsync).WithSummary("One user.");
        group.MapPut("/{id}", UpdateAsync).WithSummary("Set a user's role and region {role, region}; their sign-ins end.");
        group.MapPost("/{id}/password", SetPasswordAsync).WithSummary("Reset a user's password {newPassword}; their sign-ins end.");
        group.MapPost("/{id}/disable", (string id, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains, TokenRevocationCheck revocations) =>
            SetDisabledAsync(id, true, user, users, authority, grains, revocations)).WithSummary("Disable a user; their sign-ins end.");
        group.MapPost("/{id}/enable", (string id, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains, TokenRevocationCheck revocations) =>
            SetDisabledAsync(id, false, user, users, authority, grains, revocations)).WithSummary("Enable a disabled user.");
        group.MapPost("/{id}/totp", EnrolTotpAsync).WithSummary("Require a one-time code of a user: returns the new secret and otpauth:// URI, once.");
        group.MapDelete("/{id}/totp", RemoveTotpAsync).WithSummary("Let a user sign in with a password alone again.");
        return group;
    }

    private static async Task<Ok<List<UserView>>> ListAsync(ClaimsPrincipal user, UserStore users, RegionCache regions)
    {
        var index = await regions.GetAsync();
        var mine = Authority.RegionOf(user);
        return TypedResults.Ok((await users.ListAsync())
            .Where(u => index.IsWithin(RegionOrRoot(u.Region, index.Root), mine))
            .OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
            .Select(UserView.Of)
            .ToList());
    }

    private static async Task<Created<UserView>> CreateAsync(CreateUserRequest? body, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var name = UserName(r.Name);
        var role = Role(r.Role);
        var region = await RegionAsync(r.Region, user, authority);
        PasswordPolicy.Ensure(r.Password, name, "password");
        if (users.IsConfigured(name))
        {
            throw CommandException.Conflict($"User '{name}' is defined in configuration.");
        }

        var created = await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.DefaultKey).CreateAsync(name, UserStore.Hash(r.Password!), role, region);
        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(created.Name)}", UserView.Of(UserStore.FromRecord(created)!));
    }

    private static async Task<Ok<UserView>> GetAsync(string id, ClaimsPrincipal user, UserStore users, Authority authority) =>
        TypedResults.Ok(UserView.Of(await FindAsync(id, user, users, authority)));

    private static async Task<Ok<UserView>> UpdateAsync(string id, UpdateUserRequest? body, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains, TokenRevocationCheck revocations)
    {
        var r = Require.Body(body);
        var target = await ManagedAsync(id, user, users, authority);
        var role = Role(r.Role);
        var region = await RegionAsync(r.Region, user, authority);
        var updated = await Directory(grains).UpdateAsync(target.Name, role, region);
        revocations.Forget(target.Name);
        return TypedResults.Ok(UserView.Of(UserStore.FromRecord(updated)!));
    }

    private static async Task<NoContent> SetPasswordAsync(string id, PasswordRequest? body, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains, TokenRevocationCheck revocations)
    {
        var r = Require.Body(body);
        var target = await ManagedAsync(id, user, users, authority);
        PasswordPolicy.Ensure(r.NewPassword, target.Name, "newPassword");
        await Directory(grains).SetPasswordAsync(target.Name, UserStore.Hash(r.NewPassword!));
        revocations.Forget(target.Name);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UserView>> SetDisabledAsync(string id, bool disabled, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains, TokenRevocationCheck revocations)
    {
        var target = await ManagedAsync(id, user, users, authority);
        if (disabled && string.Equals(target.Name, Authority.NameOf(user), StringComparison.OrdinalIgnoreCase))
        {
            throw CommandException.Conflict("You cannot disable your own account.");
        }

        var changed = await Directory(grains).SetDisabledAsync(target.Name, disabled);
        revocations.Forget(target.Name);
        return TypedResults.Ok(UserView.Of(UserStore.FromRecord(changed)!));
    }

    private static async Task<Ok<TotpEnrolment>> EnrolTotpAsync(string id, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains)
    {
        var target = await ManagedAsync(id, user, users, authority);
        var secret = Totp.NewSecret();
        await Directory(grains).SetTotpSecretAsync(target.Name, secret);
        return TypedResults.Ok(new TotpEnrolment(secret, Totp.Uri(TokenService.Issuer, target.Name, secret)));
    }

    private static async Task<Ok<UserView>> RemoveTotpAsync(string id, ClaimsPrincipal user, UserStore users, Authority authority, IGrainFactory grains)
    {
        var target = await ManagedAsync(id, user, users, authority);
        return TypedResults.Ok(UserView.Of(UserStore.FromRecord(await Directory(grains).SetTotpSecretAsync(target.Name, null))!));
    }

    private static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.DefaultKey);

    /// <summary>A user within the caller's subtree; one outside it is 403, one nowhere 404.</summary>
    private static async Task<CommandUser> FindAsync(string id, ClaimsPrincipal user, UserStore users, Authority authority)
    {
        var found = await users.FindAsync(id) ?? throw CommandException.NotFound("User", id);

        // Only the development admin has no region; it stands for the root, which only a root admin covers.
        await authority.EnsureRegionAsync(user, found.Region.Length > 0 ? found.Region : await authority.RootAsync());
        return found;
    }

    private static async Task<CommandUser> ManagedAsync(string id, ClaimsPrincipal user, UserStore users, Authority authority)
    {
        var found = await FindAsync(id, user, users, authority);
        return found.Configured
            ? throw CommandException.Conflict($"User '{found.Name}' is defined in configuration and cannot be changed through the API.")
            : found;
    }

    private static async Task<string> RegionAsync(string? value, ClaimsPrincipal user, Authority authority)
    {
        var region = Require.Text(value, "region");
        if (!await authority.IsKnownRegionAsync(region))
        {
            throw CommandException.Invalid($"region {region} is not a known division code.");
        }

        await authority.EnsureRegionAsync(user, region);
        return region;
    }

    private static string Role(string? value)
    {
        var role = Require.Text(value, "role");
        return CommandRoles.All.Contains(role)
            ? role
            : throw CommandException.Invalid($"role must be one of {string.Join(", ", CommandRoles.All)}.");
    }

    private static string UserName(string? value)
    {
        var name = Require.Text(value, "name");
        return name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? name
            : throw CommandException.Invalid("name must be at most 64 characters of letters, digits, '.', '_', '-' and '@'.");
    }

    private static string RegionOrRoot(string region, string root) => region.Length > 0 ? region : root;
}
