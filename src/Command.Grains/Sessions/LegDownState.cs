using Command.Contracts.Media;

namespace Command.Grains.Sessions;

/// <summary>
/// A joined venue whose leg is down (failed, dropped, or called and not yet connected), kept with the
/// session so the automatic-backup clock survives a reactivation.
/// </summary>
[GenerateSerializer]
public sealed class LegDownState
{
    [Id(0)] public string VenueId { get; set; } = "";

    [Id(1)] public DateTimeOffset Since { get; set; }

    [Id(2)] public LegState State { get; set; }

    /// <summary>The timeline already says the automatic rule could not act on this outage.</summary>
    [Id(3)] public bool Noted { get; set; }
}
