using System.Collections.Immutable;
using Command.Contracts.Venues;

namespace Command.Grains.Venues;

/// <summary>Keeps the venue terminals' registration bindings; expired ones are never returned and are pruned on each write.</summary>
public sealed class RegistrationsGrain(
    [PersistentState("registrations", CommandStorage.Name)] IPersistentState<RegistrationsState> state,
    TimeProvider time) : Grain, IRegistrationsGrain
{
    private Dictionary<string, RegistrationBinding> Bindings => state.State.Bindings;

    public async Task SaveAsync(RegistrationBinding binding)
    {
        var key = Key(binding.User, binding.Contact);
        if (Bindings.GetValueOrDefault(key) == binding)
        {
            return;
        }

        Bindings[key] = binding;
        Prune();
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string user, string contact, string bridgeId)
    {
        var key = Key(user, contact);
        if (Bindings.TryGetValue(key, out var held) && held.BridgeId == bridgeId && Bindings.Remove(key))
        {
            Prune();
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<RegistrationBinding>> GetAsync(string user) =>
        Task.FromResult(Unexpired().Where(b => b.User == user).ToImmutableArray());

    public Task<ImmutableArray<RegistrationBinding>> GetAllAsync() => Task.FromResult(Unexpired().ToImmutableArray());

    private IEnumerable<RegistrationBinding> Unexpired()
    {
        var now = time.GetUtcNow();
        return Bindings.Values.Where(b => b.Expires > now).OrderBy(b => b.User, StringComparer.Ordinal).ThenBy(b => b.Contact, StringComparer.Ordinal);
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var key in Bindings.Where(b => b.Value.Expires <= now).Select(b => b.Key).ToList())
        {
            Bindings.Remove(key);
        }
    }

    private static string Key(string user, string contact) => $"{user}\n{contact}";
}
