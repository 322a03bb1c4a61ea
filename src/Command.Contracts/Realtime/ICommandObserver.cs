using System.Collections.Immutable;

namespace Command.Contracts.Realtime;

/// <summary>A web host's receiver of changes, which it relays to its SignalR clients.</summary>
public interface ICommandObserver : IGrainObserver
{
    // One-way: a web host that has gone away must not hold up delivery to the others.
    [OneWay]
    Task OnEventsAsync(ImmutableArray<CommandEvent> events);
}
