namespace Command.Contracts.Media;

/// <summary>
/// A media bridge as it announces itself. <see cref="InstanceId"/> changes with every start, so
/// the registry knows a restarted bridge has lost its conferences. <see cref="Expiry"/> is how long
/// the bridge may stay silent before the registry gives its sessions to another; zero means 15 s,
/// what bridges that do not say allowed.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.bridge")]
public sealed record BridgeInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string InstanceId,
    [property: Id(2)] string SipEndPoint,
    [property: Id(3)] int Capacity,
    [property: Id(4)] int Conferences,
    [property: Id(5)] int Legs,
    [property: Id(6)] bool Healthy,
    [property: Id(7)] TimeSpan Expiry = default);
