using System.Security.Claims;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Command.Web.Apis;

/// <summary>Sign-in: a cookie for the dashboard, a bearer token for tools; logout and refresh revoke what they replace.</summary>
public static class AuthApi
{
    private static readonly AuthorizationPolicy BearerOnly =
        new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build();

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/token", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).WithSummary("Exchange a user name and password (and one-time code) for a bearer token.");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).WithSummary("Sign in to the dashboard with a cookie.");
        group.MapPost("/refresh", RefreshAsync).RequireAuthorization(BearerOnly).WithSummary("Exchange a valid bearer token for a new one; the old one is revoked.");
        group.MapPost("/logout", LogoutAsync).AllowAnonymous().WithSummary("Revoke the caller's token or cookie sign-in.");
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(Describe(user)));
        return group;
    }

    private static async Task<Results<Ok<IssuedToken>, ProblemHttpResult>> IssueTokenAsync(SignInRequest? body, SignInService signIn, TokenService tokens, HttpContext context)
    {
        var r = Require.Body(body);
        context.Items[AuditMiddleware.DetailItem] = $"user {r.Username}";
        try
        {
            var identity = await signIn.SignInAsync(Require.Text(r.Username, "username"), r.Password ?? "", r.Code, JwtBearerDefaults.AuthenticationScheme, context.Connection.RemoteIpAddress);
            var (token, expires) = tokens.Issue(identity);
            return TypedResults.Ok(new IssuedToken(token, "Bearer", expires, Describe(new ClaimsPrincipal(identity))));
        }
        catch (SecondFactorRequiredException e)
        {
            return CodeRequired(e);
        }
    }

    private static async Task<Results<Ok<SignedInUser>, ProblemHttpResult>> LoginAsync(SignInRequest? body, SignInService signIn, TokenService tokens, HttpContext context)
    {
        var r = Require.Body(body);
        context.Items[AuditMiddleware.DetailItem] = $"user {r.Username}";
        try
        {
            var identity = await signIn.SignInAsync(Require.Text(r.Username, "username"), r.Password ?? "", r.Code, CookieAuthenticationDefaults.AuthenticationScheme, context.Connection.RemoteIpAddress);
            var principal = new ClaimsPrincipal(tokens.Stamp(identity, CookieAuthenticationDefaults.AuthenticationScheme));
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
            context.User = principal;
            return TypedResults.Ok(Describe(principal));
        }
        catch (SecondFactorRequiredException e)
        {
            return CodeRequired(e);
        }
    }

    /// <summary>Re-reads the user, so a refresh carries the current role and region and a disabled user gets none.</summary>
    private static async Task<Ok<IssuedToken>> RefreshAsync(ClaimsPrincipal user, UserStore users, TokenService tokens, TokenRevocationCheck revocations)
    {
        if (await users.FindAsync(Authority.NameOf(user)) is not { Disabled: false } current)
        {
            throw new SignInRefusedException("This sign-in no longer holds; sign in again.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(CommandClaimTypes.Name, current.Name),
                new Claim(CommandClaimTypes.Role, current.Role),
                new Claim(CommandClaimTypes.Region, current.Region.Length > 0 ? current.Region : Authority.RegionOf(user)),
            ],
            JwtBearerDefaults.AuthenticationScheme,
            CommandClaimTypes.Name,
            CommandClaimTypes.Role);
        var (token, expires) = tokens.Issue(identity);
        await RevokeAsync(user, revocations, ExpiryOf(user) ?? expires);
        return TypedResults.Ok(new IssuedToken(token, "Bearer", expires, Describe(new ClaimsPrincipal(identity))));
    }

    private static async Task<NoContent> LogoutAsync(ClaimsPrincipal user, HttpContext context, TokenRevocationCheck revocations, IOptionsMonitor<CookieAuthenticationOptions> cookies, TimeProvider time)
    {
        if (user.Identity?.IsAuthenticated == true)
        {
            // A cookie's own expiry slides, so it is revoked for as long as a copy of it could still be renewed.
            var expires = ExpiryOf(user) ?? time.GetUtcNow() + cookies.Get(CookieAuthenticationDefaults.AuthenticationScheme).ExpireTimeSpan;
            await RevokeAsync(user, revocations, expires);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task RevokeAsync(ClaimsPrincipal user, TokenRevocationCheck revocations, DateTimeOffset expires)
    {
        if (TokenService.SignInOf(user) is { } signIn)
        {
            await revocations.RevokeAsync(Authority.NameOf(user), signIn.Id, expires);
        }
    }

    private static DateTimeOffset? ExpiryOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Exp), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : null;

    private static ProblemHttpResult CodeRequired(SecondFactorRequiredException e) => TypedResults.Problem(
        e.Message,
        statusCode: StatusCodes.Status401Unauthorized,
        title: "One-time code required",
        type: SecondFactorRequiredException.ProblemType,
        extensions: new Dictionary<string, object?> { ["codeRequired"] = true });

    private static SignedInUser Describe(ClaimsPrincipal user) =>
        new(Authority.NameOf(user), user.FindFirstValue(CommandClaimTypes.Role) ?? "", Authority.RegionOf(user));
}
