namespace Command.Grains.Media;

[GenerateSerializer]
public sealed class BridgeRegistryState
{
    /// <summary>Session id to the bridge carrying it; an empty bridge id waits for a bridge to appear.</summary>
    [Id(0)] public Dictionary<string, string> Assignments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest silence any bridge has announced it may keep; a reactivated registry waits this long before moving sessions.</summary>
    [Id(1)] public TimeSpan LongestExpiry { get; set; }
}
