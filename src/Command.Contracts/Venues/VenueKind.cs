namespace Command.Contracts.Venues;

[GenerateSerializer, Alias("command.venue-kind")]
public enum VenueKind
{
    Command,
    Branch,
    Backup,
    Mobile,
    Desktop,
}
