namespace Command.Contracts.Schedules;

[GenerateSerializer, Alias("command.recurrence")]
public enum Recurrence
{
    None,
    Daily,
    Weekly,
}
