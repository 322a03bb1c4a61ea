namespace Command.Contracts.Cascade;

/// <summary>An uplink as the bridge holding it must register it, password decrypted; it never prints the password.</summary>
[GenerateSerializer, Immutable, Alias("command.uplink-assignment")]
public sealed record UplinkAssignment(
    [property: Id(0)] string Id,
    [property: Id(1)] string Registrar,
    [property: Id(2)] string Username,
    [property: Id(3)] string Password)
{
    public override string ToString() => $"UplinkAssignment {{ Id = {Id}, Registrar = {Registrar}, Username = {Username}, Password = *** }}";
}
