namespace Command.Grains.Auth;

[GenerateSerializer]
public sealed class TotpReplayState
{
    [Id(0)] public long LastStep { get; set; } = long.MinValue;
}
