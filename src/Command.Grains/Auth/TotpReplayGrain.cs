using Command.Contracts.Auth;

namespace Command.Grains.Auth;

public sealed class TotpReplayGrain(
    [PersistentState("totp-replay", CommandStorage.Name)] IPersistentState<TotpReplayState> state) : Grain, ITotpReplayGrain
{
    public async Task<bool> TryUseAsync(long step)
    {
        if (step <= state.State.LastStep)
        {
            return false;
        }

        state.State.LastStep = step;
        await state.WriteStateAsync();
        return true;
    }
}
