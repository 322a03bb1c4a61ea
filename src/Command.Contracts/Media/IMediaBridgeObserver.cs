namespace Command.Contracts.Media;

/// <summary>The command channel from the cluster to one bridge.</summary>
public interface IMediaBridgeObserver : IGrainObserver
{
    /// <summary>The newest plan of a session this bridge carries; one-way so no session ever waits on media.</summary>
    [OneWay]
    Task ApplyAsync(ConferencePlan plan);
}
