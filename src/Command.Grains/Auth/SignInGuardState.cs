namespace Command.Grains.Auth;

[GenerateSerializer]
public sealed class SignInGuardState
{
    [Id(0)] public List<DateTimeOffset> Failures { get; set; } = [];

    [Id(1)] public DateTimeOffset? LockedUntil { get; set; }
}
