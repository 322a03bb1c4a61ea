namespace Command.Grains.Auth;

[GenerateSerializer]
public sealed class SigningKeyState
{
    [Id(0)] public byte[]? Key { get; set; }
}
