using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Auth;

namespace Command.Grains.Auth;

public sealed class TokenRevocationGrain(
    [PersistentState("token-revocation", CommandStorage.Name)] IPersistentState<TokenRevocationState> state,
    TimeProvider time) : Grain, ITokenRevocationGrain
{
    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt)
    {
        if (string.IsNullOrWhiteSpace(tokenId))
        {
            throw CommandException.Invalid("tokenId is required.");
        }

        var now = time.GetUtcNow();
        foreach (var gone in state.State.Revoked.Where(r => r.Value <= now).Select(r => r.Key).ToList())
        {
            state.State.Revoked.Remove(gone);
        }

        if (expiresAt > now)
        {
            state.State.Revoked[tokenId] = expiresAt;
        }

        await state.WriteStateAsync();
    }

    public async Task<DateTimeOffset> RevokeAllAsync()
    {
        var now = time.GetUtcNow();
        state.State.ValidAfter = now;
        state.State.Revoked.Clear();
        await state.WriteStateAsync();
        return now;
    }

    public Task<TokenRevocations> GetAsync()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(new TokenRevocations(
            state.State.ValidAfter,
            state.State.Revoked.Where(r => r.Value > now).Select(r => r.Key).ToImmutableHashSet(StringComparer.Ordinal)));
    }
}
