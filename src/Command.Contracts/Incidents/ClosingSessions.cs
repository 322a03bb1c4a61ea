namespace Command.Contracts.Incidents;

/// <summary>What closing an incident does to its sessions that are still live or scheduled.</summary>
[GenerateSerializer, Alias("command.closing-sessions")]
public enum ClosingSessions
{
    /// <summary>Each of them ends, with the reason "incident closed".</summary>
    End,

    /// <summary>They keep running; a reason is required.</summary>
    Keep,
}
