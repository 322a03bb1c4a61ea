using Command.Contracts.Realtime;

namespace Command.Grains.Realtime;

/// <summary>How grains announce a change once it is persisted.</summary>
internal static class Changes
{
    public static void Publish(IGrainFactory grains, CommandEvent change) =>
        _ = grains.GetGrain<IRealtimeNotifierGrain>(0).PublishAsync(change);
}
