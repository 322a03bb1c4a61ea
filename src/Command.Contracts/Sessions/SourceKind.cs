namespace Command.Contracts.Sessions;

/// <summary>What kind of picture a source is (BRIEF §4 "Sources"): a joined venue, an attached camera feed, or the cascade uplink of a relay session.</summary>
public enum SourceKind
{
    Venue,
    Feed,
    Uplink,
}
