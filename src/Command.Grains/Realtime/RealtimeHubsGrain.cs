using System.Collections.Immutable;
using Command.Contracts.Realtime;

namespace Command.Grains.Realtime;

/// <summary>In memory only: after a restart the hosts register again within one refresh period.</summary>
public sealed class RealtimeHubsGrain(TimeProvider time) : Grain, IRealtimeHubsGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, (ICommandObserver Observer, DateTimeOffset Seen)> hosts = new(StringComparer.Ordinal);

    public Task RegisterAsync(string hostId, ICommandObserver observer)
    {
        hosts[hostId] = (observer, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(string hostId)
    {
        hosts.Remove(hostId);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<ICommandObserver>> GetObserversAsync()
    {
        var cutoff = time.GetUtcNow() - Expiry;
        foreach (var stale in hosts.Where(h => h.Value.Seen < cutoff).Select(h => h.Key).ToList())
        {
            hosts.Remove(stale);
        }

        return Task.FromResult(hosts.Values.Select(h => h.Observer).ToImmutableArray());
    }
}
