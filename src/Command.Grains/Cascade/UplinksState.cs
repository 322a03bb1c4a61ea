namespace Command.Grains.Cascade;

[GenerateSerializer]
public sealed class UplinksState
{
    [Id(0)] public Dictionary<string, UplinkRecord> Uplinks { get; set; } = new(StringComparer.Ordinal);
}
