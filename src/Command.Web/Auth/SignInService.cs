using System.Net;
using System.Security.Claims;
using Command.Contracts.Auth;
using Command.Web.Regions;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Checks a user name and password (and a one-time code for users who have a TOTP secret) with
/// lock-out. An unknown user, a disabled one and a wrong password get the same answer, and all count
/// towards the lock-out of that name from that client address only: failures from one address never
/// lock the name out for the others, so nobody can lock the city chair out of its own account during
/// an emergency. Spraying from one address is held back by the per-address rate limit
/// (<see cref="SignInRateLimit"/>). A wrong or replayed code counts as a failure too.
/// </summary>
public sealed class SignInService(UserStore users, IGrainFactory grains, RegionCache regions, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Refused = "Unknown user name or wrong password.";
    public const string WrongCode = "Wrong or already used one-time code.";
    public const string AdminNeedsSecondFactor = "Administrators sign in with a one-time code as well, and this one has none yet; another administrator can set one up.";

    public async Task<ClaimsIdentity> SignInAsync(string name, string password, string? code, string authenticationType, IPAddress? client)
    {
        var guard = grains.GetGrain<ISignInGuardGrain>(GuardKey(name, client));
        if (await guard.GetLockedUntilAsync() is { } lockedUntil)
        {
            throw new SignInLockedException(lockedUntil);
        }

        var user = await users.VerifyAsync(name, password);
        if (user is null || user.Disabled)
        {
            throw await FailureAsync(guard, Refused);
        }

        await CheckSecondFactorAsync(user, code, guard);
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

    private async Task CheckSecondFactorAsync(CommandUser user, string? code, ISignInGuardGrain guard)
    {
        if (user.TotpSecret is null)
        {
            if (options.Value.RequireTotpForAdmins && user.Role == CommandRoles.Admin)
            {
                throw new SignInRefusedException(AdminNeedsSecondFactor);
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            throw new SecondFactorRequiredException();
        }

        if (!Base32.TryDecode(user.TotpSecret, out var secret)
            || Totp.Match(secret, code, time.GetUtcNow()) is not { } step
            || !await grains.GetGrain<ITotpReplayGrain>(ITokenRevocationGrain.KeyOf(user.Name)).TryUseAsync(step))
        {
            throw await FailureAsync(guard, WrongCode);
        }
    }

    /// <summary>Counts a failure; the answer is a lock-out when this one crossed the threshold.</summary>
    private async Task<Exception> FailureAsync(ISignInGuardGrain guard, string message)
    {
        var o = options.Value;
        return await guard.RecordFailureAsync(o.LockoutThreshold, TimeSpan.FromMinutes(o.LockoutMinutes), TimeSpan.FromMinutes(o.LockoutMinutes)) is { } until
            ? new SignInLockedException(until)
            : new SignInRefusedException(message);
    }
}
