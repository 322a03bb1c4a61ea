namespace Command.Contracts.Sessions;

[GenerateSerializer, Alias("command.session-kind")]
public enum SessionKind
{
    Emergency,
    Meeting,
    Relay,
}
