using System.Security.Claims;
using Command.Web.Regions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Command.Web.Auth;

public static class CommandAuthExtensions
{
    public const string Scheme = "command";
    public const string HubPath = "/hubs";

    /// <summary>
    /// Cookie sign-in for the dashboard and bearer tokens for tools; the hub accepts either, and
    /// takes a token from the access_token query string on its own path only (browsers cannot set
    /// headers on a WebSocket).
    /// </summary>
    public static IServiceCollection AddCommandAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserStore>();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<TokenRevocationCheck>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<RegionCache>();
        services.AddSingleton<Authority>();
        services.AddHostedService<SigningKeyLoader>();
        services.AddSignInRateLimit();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "command.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = c => Status(c.Response, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => Status(c.Response, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = async c =>
                {
                    if (c.Principal is null || await IsRevokedAsync(c.HttpContext, c.Principal))
                    {
                        c.RejectPrincipal();
                        await c.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            })
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = c =>
                    {
                        if (c.Request.Path.StartsWithSegments(HubPath) && c.Request.Query["access_token"] is { Count: 1 } token)
                        {
                            c.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async c =>
                    {
                        if (c.Principal is null || await IsRevokedAsync(c.HttpContext, c.Principal))
                        {
                            c.Fail("The token has been revoked.");
                        }
                    },
                };
            });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeyProvider>((o, keys) =>
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenService.Issuer,
                ValidAudience = TokenService.Audience,
                IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key],
                NameClaimType = CommandClaimTypes.Name,
                RoleClaimType = CommandClaimTypes.Role,
                ClockSkew = TimeSpan.FromSeconds(30),
            });
        services.AddAuthorizationBuilder().AddCommandPolicies();
        return services;
    }

    /// <summary>A sign-in without an id predates revocation and could not be revoked, so it is refused too.</summary>
    private static async Task<bool> IsRevokedAsync(HttpContext context, ClaimsPrincipal user) =>
        TokenService.SignInOf(user) is not { } signIn
        || await context.RequestServices.GetRequiredService<TokenRevocationCheck>().IsRevokedAsync(Authority.NameOf(user), signIn.Id, signIn.IssuedAt);

    private static string SelectScheme(HttpContext context)
    {
        var bearer = context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || (context.Request.Path.StartsWithSegments(HubPath) && context.Request.Query.ContainsKey("access_token"));
        return bearer ? JwtBearerDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
