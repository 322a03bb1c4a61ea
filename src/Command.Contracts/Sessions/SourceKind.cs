namespace Command.Contracts.Sessions;

/// <summary>What kind of picture a source is (BRIEF §4 "Sources"): a joined venue or an attached camera feed.</summary>
public enum SourceKind
{
    Venue,
    Feed,
}
