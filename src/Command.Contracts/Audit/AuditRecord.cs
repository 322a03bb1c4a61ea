namespace Command.Contracts.Audit;

/// <summary>What happened, as the web host saw it: who, what, to what, and how it ended.</summary>
[GenerateSerializer, Immutable, Alias("command.audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Role,
    [property: Id(3)] string Action,
    [property: Id(4)] string Target,
    [property: Id(5)] int Outcome,
    [property: Id(6)] string Detail);
