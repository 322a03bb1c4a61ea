namespace Command.Contracts.Realtime;

/// <summary>Fans changes out to every registered web host. Call it with key 0; each silo runs its own local workers.</summary>
public interface IRealtimeNotifierGrain : IGrainWithIntegerKey
{
    // One-way: publishing never delays the command that caused the change.
    [OneWay]
    Task PublishAsync(CommandEvent change);
}
