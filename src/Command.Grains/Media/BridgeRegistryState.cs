namespace Command.Grains.Media;

[GenerateSerializer]
public sealed class BridgeRegistryState
{
    /// <summary>Session id to the bridge carrying it; an empty bridge id waits for a bridge to appear.</summary>
    [Id(0)] public Dictionary<string, string> Assignments { get; set; } = new(StringComparer.Ordinal);
}
