using Command.Contracts.Auth;

namespace Command.Grains.Auth;

public sealed class SignInGuardGrain(
    [PersistentState("signin-guard", CommandStorage.Name)] IPersistentState<SignInGuardState> state,
    TimeProvider time) : Grain, ISignInGuardGrain
{
    public Task<DateTimeOffset?> GetLockedUntilAsync() =>
        Task.FromResult(state.State.LockedUntil is { } until && until > time.GetUtcNow() ? until : (DateTimeOffset?)null);

    public async Task<DateTimeOffset?> RecordFailureAsync(int threshold, TimeSpan window, TimeSpan lockout)
    {
        var now = time.GetUtcNow();
        state.State.Failures.RemoveAll(f => f < now - window);
        state.State.Failures.Add(now);
        if (state.State.Failures.Count >= threshold)
        {
            state.State.LockedUntil = now + lockout;
            state.State.Failures.Clear();
        }

        await state.WriteStateAsync();
        return state.State.LockedUntil > now ? state.State.LockedUntil : null;
    }

    public async Task ResetAsync()
    {
        if (state.State.Failures.Count > 0 || state.State.LockedUntil is not null)
        {
            state.State.Failures.Clear();
            state.State.LockedUntil = null;
            await state.WriteStateAsync();
        }
    }
}
