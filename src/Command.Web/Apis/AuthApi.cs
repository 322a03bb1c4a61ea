using System.Security.Claims;
using Command.Web.Apis.Requests;
using Command.Web.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>Sign-in: a cookie for the dashboard, a bearer token for tools.</summary>
public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/token", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).WithSummary("Exchange a user name and password for a bearer token.");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).WithSummary("Sign in to the dashboard with a cookie.");
        group.MapPost("/logout", LogoutAsync).AllowAnonymous();
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(Describe(user)));
        return group;
    }

    private static async Task<Ok<IssuedToken>> IssueTokenAsync(SignInRequest? body, SignInService signIn, TokenService tokens, HttpContext context)
    {
        var r = Require.Body(body);
        context.Items[AuditMiddleware.DetailItem] = $"user {r.Username}";
        var identity = await signIn.SignInAsync(Require.Text(r.Username, "username"), r.Password ?? "", JwtBearerDefaults.AuthenticationScheme, context.Connection.RemoteIpAddress);
        var (token, expires) = tokens.Issue(identity);
        return TypedResults.Ok(new IssuedToken(token, "Bearer", expires, Describe(new ClaimsPrincipal(identity))));
    }

    private static async Task<Ok<SignedInUser>> LoginAsync(SignInRequest? body, SignInService signIn, HttpContext context)
    {
        var r = Require.Body(body);
        context.Items[AuditMiddleware.DetailItem] = $"user {r.Username}";
        var identity = await signIn.SignInAsync(Require.Text(r.Username, "username"), r.Password ?? "", CookieAuthenticationDefaults.AuthenticationScheme, context.Connection.RemoteIpAddress);
        var principal = new ClaimsPrincipal(identity);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        context.User = principal;
        return TypedResults.Ok(Describe(principal));
    }

    private static async Task<NoContent> LogoutAsync(ClaimsPrincipal user, HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static SignedInUser Describe(ClaimsPrincipal user) =>
        new(Authority.NameOf(user), user.FindFirstValue(CommandClaimTypes.Role) ?? "", Authority.RegionOf(user));
}
