using System.Collections.Immutable;

namespace Command.Contracts.Venues;

/// <summary>
/// The durable record of every venue terminal's registration bindings, one per user and contact, so
/// a restarted bridge restores its own and any bridge can reach a terminal another bridge registered.
/// </summary>
public interface IRegistrationsGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>Adds or replaces the binding for its user and contact.</summary>
    Task SaveAsync(RegistrationBinding binding);

    /// <summary>Removes the binding for a user and contact, if the named bridge is the one that holds it.</summary>
    Task RemoveAsync(string user, string contact, string bridgeId);

    /// <summary>A user's bindings that have not expired.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<RegistrationBinding>> GetAsync(string user);

    /// <summary>Every binding that has not expired.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<RegistrationBinding>> GetAllAsync();
}
