namespace Command.Grains.Auth;

[GenerateSerializer]
public sealed class TokenRevocationState
{
    [Id(0)] public DateTimeOffset? ValidAfter { get; set; }

    /// <summary>Revoked token ids and when each would have expired; an expired one needs no entry.</summary>
    [Id(1)] public Dictionary<string, DateTimeOffset> Revoked { get; set; } = [];
}
