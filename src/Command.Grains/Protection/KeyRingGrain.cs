using System.Collections.Immutable;
using Command.Contracts.Protection;

namespace Command.Grains.Protection;

public sealed class KeyRingGrain(
    [PersistentState("keyring", CommandStorage.Name)] IPersistentState<KeyRingState> state) : Grain, IKeyRingGrain
{
    public Task<ImmutableArray<string>> GetAllAsync() =>
        Task.FromResult(state.State.Elements.Select(e => e.Xml).ToImmutableArray());

    public async Task StoreAsync(string friendlyName, string xml)
    {
        if (state.State.Elements.Any(e => e.FriendlyName == friendlyName))
        {
            return;
        }

        state.State.Elements.Add(new KeyRingElement { FriendlyName = friendlyName, Xml = xml });
        await state.WriteStateAsync();
    }
}
