namespace Command.Contracts.Incidents;

[GenerateSerializer, Alias("command.incident-status")]
public enum IncidentStatus
{
    Reported,
    Responding,
    Closed,
}
