namespace Command.Grains.Protection;

[GenerateSerializer]
public sealed class KeyRingElement
{
    [Id(0)] public string FriendlyName { get; set; } = "";

    [Id(1)] public string Xml { get; set; } = "";
}
