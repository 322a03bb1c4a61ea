namespace Command.Contracts.Venues;

[GenerateSerializer, Alias("command.venue-status")]
public enum VenueStatus
{
    Offline,
    Online,
    InSession,
}
