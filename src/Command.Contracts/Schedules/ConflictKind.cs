namespace Command.Contracts.Schedules;

/// <summary>What holds a venue at a time asked about: another booking, or a session that is live now.</summary>
[GenerateSerializer, Alias("command.conflict-kind")]
public enum ConflictKind
{
    Booking,
    Session,
}
