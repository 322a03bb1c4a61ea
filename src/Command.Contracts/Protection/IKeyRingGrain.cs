using System.Collections.Immutable;

namespace Command.Contracts.Protection;

/// <summary>
/// The cluster's Data Protection key ring, kept in the durable store so that every silo encrypts and decrypts
/// with the same keys and a restart loses none. Holds key XML elements as text.
/// </summary>
public interface IKeyRingGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    [AlwaysInterleave]
    Task<ImmutableArray<string>> GetAllAsync();

    /// <summary>Adds an element; storing one already held (same friendly name) changes nothing.</summary>
    Task StoreAsync(string friendlyName, string xml);
}
