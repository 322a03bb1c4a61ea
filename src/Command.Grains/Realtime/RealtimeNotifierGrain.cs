using System.Collections.Immutable;
using Command.Contracts.Realtime;

namespace Command.Grains.Realtime;

/// <summary>
/// Batches changes and sends each batch to every web host. A change that arrives while a batch is
/// being sent joins the next one, so under load batches grow instead of latency.
/// </summary>
[StatelessWorker] // one per silo core, local to the publishing grain: no network hop before fan-out
[Reentrant] // PublishAsync must enqueue while a flush is awaiting the hub list
public sealed class RealtimeNotifierGrain(TimeProvider time) : Grain, IRealtimeNotifierGrain
{
    private static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(2);

    private readonly Queue<CommandEvent> pending = new();
    private ImmutableArray<ICommandObserver> observers = [];
    private DateTimeOffset observersAt;
    private bool flushing;

    public async Task PublishAsync(CommandEvent change)
    {
        pending.Enqueue(change);
        if (flushing)
        {
            return;
        }

        flushing = true;
        try
        {
            while (pending.Count > 0)
            {
                var targets = await GetObserversAsync();
                var batch = pending.ToImmutableArray();
                pending.Clear();
                foreach (var observer in targets)
                {
                    _ = observer.OnEventsAsync(batch);
                }
            }
        }
        finally
        {
            flushing = false;
        }
    }

    private async Task<ImmutableArray<ICommandObserver>> GetObserversAsync()
    {
        var now = time.GetUtcNow();
        if (observers.IsDefaultOrEmpty || now - observersAt > ObserverRefresh)
        {
            observers = await GrainFactory.GetGrain<IRealtimeHubsGrain>(0).GetObserversAsync();
            observersAt = now;
        }

        return observers;
    }
}
