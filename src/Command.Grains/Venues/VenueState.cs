using Command.Contracts.Sessions;
using Command.Contracts.Venues;

namespace Command.Grains.Venues;

[GenerateSerializer]
public sealed class VenueState
{
    [Id(0)] public VenueDefinition? Definition { get; set; }

    [Id(1)] public bool Online { get; set; }

    [Id(2)] public string? SessionId { get; set; }

    [Id(3)] public SessionKind? SessionKind { get; set; }

    [Id(4)] public string? SessionTitle { get; set; }

    [Id(5)] public long Version { get; set; }
}
