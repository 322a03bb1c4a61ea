using System.Collections.Immutable;

namespace Command.Contracts.Cascade;

/// <summary>
/// An uplink to define: this deployment registers to the <see cref="Registrar"/> of the deployment above
/// (<c>sip:host[:port]</c>) as the venue whose SIP user and password are given. Travels only inside the
/// cluster, in the clear only on its way to being encrypted; it never prints its password.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.uplink-request")]
public sealed record UplinkRequest(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Registrar,
    [property: Id(2)] string? Username,
    [property: Id(3)] string? Password)
{
    /// <summary>The venues a relay session opened for this uplink's calls gathers, the first chairing it.</summary>
    [Id(4)]
    public ImmutableArray<string> VenueIds { get; init; } = [];

    public override string ToString() => $"UplinkRequest {{ Name = {Name}, Registrar = {Registrar}, Username = {Username}, Password = *** }}";
}
