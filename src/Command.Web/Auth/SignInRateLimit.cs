using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Sign-in attempts per client address (<see cref="AuthOptions.SignInPerMinute"/>), across all names,
/// so one address cannot spray passwords over many accounts. Refusals are 429 problem details with
/// Retry-After. A request with no client address (an in-process test host) is not limited.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) => services.AddRateLimiter(o =>
    {
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.AddPolicy(Policy, context =>
        {
            if (context.Connection.RemoteIpAddress is not { } address)
            {
                return RateLimitPartition.GetNoLimiter("no address");
            }

            var perMinute = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.SignInPerMinute;
            return RateLimitPartition.GetFixedWindowLimiter(
                (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString(),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        });
        o.OnRejected = (context, _) =>
        {
            var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        };
    });
}
