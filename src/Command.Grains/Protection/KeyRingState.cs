namespace Command.Grains.Protection;

[GenerateSerializer]
public sealed class KeyRingState
{
    [Id(0)] public List<KeyRingElement> Elements { get; set; } = [];
}
