using Command.Contracts.Sessions;
using Command.Contracts.Venues;

namespace Command.Grains.Venues;

/// <summary>
/// What a venue persists: its definition, the claim of the session holding it, and the status last
/// published (so a reactivated venue announces that it no longer knows its terminal). Live facts
/// are never stored.
/// </summary>
[GenerateSerializer]
public sealed class VenueState
{
    [Id(0)] public VenueDefinition? Definition { get; set; }

    [Id(2)] public string? SessionId { get; set; }

    [Id(3)] public SessionKind? SessionKind { get; set; }

    [Id(4)] public string? SessionTitle { get; set; }

    [Id(5)] public long Version { get; set; }

    [Id(6)] public VenueStatus Shown { get; set; }

    /// <summary>Sessions that replaced this venue by a backup and want to hear when its terminal is back.</summary>
    [Id(7)] public List<string> ReturnWatchers { get; set; } = [];
}
