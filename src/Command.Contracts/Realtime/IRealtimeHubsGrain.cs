using System.Collections.Immutable;

namespace Command.Contracts.Realtime;

/// <summary>
/// The web hosts that want changes. Hosts re-register on a timer and registrations expire, so
/// a host that died drops out by itself (observers are not durable).
/// </summary>
public interface IRealtimeHubsGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(string hostId, ICommandObserver observer);

    Task UnregisterAsync(string hostId);

    [AlwaysInterleave]
    Task<ImmutableArray<ICommandObserver>> GetObserversAsync();
}
