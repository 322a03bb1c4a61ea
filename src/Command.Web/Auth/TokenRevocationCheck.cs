using System.Collections.Concurrent;
using Command.Contracts.Auth;
using Microsoft.Extensions.Options;

namespace Command.Web.Auth;

/// <summary>
/// Refuses revoked sign-ins on every authenticated request. What the store says of a user is kept for
/// <see cref="AuthOptions.RevocationCacheSeconds"/>, so the check costs one grain call per user per
/// period at most; a revocation made on this host is seen here at once, on other hosts within the period.
/// </summary>
public sealed class TokenRevocationCheck(IGrainFactory grains, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (TokenRevocations Revocations, DateTimeOffset ReadAt)> cache = new(StringComparer.Ordinal);

    public async Task<bool> IsRevokedAsync(string userName, string tokenId, DateTimeOffset issuedAt)
    {
        var key = ITokenRevocationGrain.KeyOf(userName);
        var now = time.GetUtcNow();
        if (!cache.TryGetValue(key, out var entry) || now - entry.ReadAt >= TimeSpan.FromSeconds(options.Value.RevocationCacheSeconds))
        {
            entry = (await grains.GetGrain<ITokenRevocationGrain>(key).GetAsync(), now);
            cache[key] = entry;
            Trim(now);
        }

        return entry.Revocations.Refuses(tokenId, issuedAt);
    }

    public async Task RevokeAsync(string userName, string tokenId, DateTimeOffset expiresAt)
    {
        var key = ITokenRevocationGrain.KeyOf(userName);
        await grains.GetGrain<ITokenRevocationGrain>(key).RevokeAsync(tokenId, expiresAt);
        cache.TryRemove(key, out _);
    }

    /// <summary>Forgets what this host knows of a user, after a change made here that revoked their tokens.</summary>
    public void Forget(string userName) => cache.TryRemove(ITokenRevocationGrain.KeyOf(userName), out _);

    // Entries of users who stopped calling would otherwise stay for the life of the host.
    private void Trim(DateTimeOffset now)
    {
        if (cache.Count < 1024)
        {
            return;
        }

        var period = TimeSpan.FromSeconds(options.Value.RevocationCacheSeconds);
        foreach (var (key, value) in cache)
        {
            if (now - value.ReadAt >= period)
            {
                cache.TryRemove(key, out _);
            }
        }
    }
}
