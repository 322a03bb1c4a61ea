namespace MediaBridge.Legs.Uplinks;

/// <summary>Where the bridge learns which relay session the deployment above's call on an uplink joins (the cluster opens or finds it).</summary>
public interface IRelaySessions
{
    /// <summary>The live relay session for the call; throws when the cluster refuses it or cannot be reached.</summary>
    Task<string> CalledAsync(string uplinkId);

    /// <summary>The session above asks the relay session to send up one of its venues (null: its broadcast again); throws when refused.</summary>
    Task SendUpAsync(string uplinkId, string sessionId, string? venueId);
}
