namespace Command.Contracts.Sessions;

[GenerateSerializer, Alias("command.session-phase")]
public enum SessionPhase
{
    Scheduled,
    Live,
    Ended,
}
