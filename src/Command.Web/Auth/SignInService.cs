using System.Net;
using System.Security.Claims;
using Command.Contracts.Auth;
using Command.Web.Regions;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Checks a user name and password with lock-out. An unknown user and a wrong password get the
/// same answer, and both count towards the lock-out of that name from that client address only:
/// failures from one address never lock the name out for the others, so nobody can lock the city
/// chair out of its own account during an emergency. Spraying from one address is held back by the
/// per-address rate limit (<see cref="SignInRateLimit"/>).
/// </summary>
public sealed class SignInService(UserStore users, IGrainFactory grains, RegionCache regions, IOptions<AuthOptions> options)
{
    public const string Refused = "Unknown user name or wrong password.";

    public async Task<ClaimsIdentity> SignInAsync(string name, string password, string authenticationType, IPAddress? client)
    {
        var guard = grains.GetGrain<ISignInGuardGrain>(GuardKey(name, client));
        if (await guard.GetLockedUntilAsync() is { } lockedUntil)
        {
            throw new SignInLockedException(lockedUntil);
        }

        var user = users.Verify(name, password);
        if (user is null)
        {
            var o = options.Value;
            if (await guard.RecordFailureAsync(o.LockoutThreshold, TimeSpan.FromMinutes(o.LockoutMinutes), TimeSpan.FromMinutes(o.LockoutMinutes)) is { } until)
            {
                throw new SignInLockedException(until);
            }

            throw new SignInRefusedException(Refused);
        }

        await guard.ResetAsync();
        var region = user.Region.Length > 0 ? user.Region : (await regions.GetAsync()).Root;
        return new ClaimsIdentity(
            [
                new Claim(CommandClaimTypes.Name, user.Name),
                new Claim(CommandClaimTypes.Role, user.Role),
                new Claim(CommandClaimTypes.Region, region),
            ],
            authenticationType,
            CommandClaimTypes.Name,
            CommandClaimTypes.Role);
    }

    /// <summary>The lock-out is kept per (name, client address) pair.</summary>
    public static string GuardKey(string name, IPAddress? client)
    {
        var address = client is null ? "unknown" : (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString();
        return $"{name.Trim().ToLowerInvariant()} from {address}";
    }
}
