using System.Security.Cryptography;
using Command.Contracts.Auth;

namespace Command.Grains.Auth;

public sealed class SigningKeyGrain(
    [PersistentState("signing-key", CommandStorage.Name)] IPersistentState<SigningKeyState> state) : Grain, ISigningKeyGrain
{
    public async Task<byte[]> GetOrCreateAsync()
    {
        if (state.State.Key is null)
        {
            state.State.Key = RandomNumberGenerator.GetBytes(32);
            await state.WriteStateAsync();
        }

        return state.State.Key;
    }
}
