namespace Command.Contracts.Audit;

/// <summary>
/// What happened, as the web host saw it: who, what, to what, with which parameters, and how it ended.
/// <see cref="EntryId"/> is chosen by the writer, so appending the same record twice (a retry after a lost reply)
/// yields the one entry already stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Role,
    [property: Id(3)] string Action,
    [property: Id(4)] string Target,
    [property: Id(5)] int Outcome,
    [property: Id(6)] string Detail,
    [property: Id(7)] string EntryId = "",
    [property: Id(8)] string Kind = AuditKinds.Event,
    [property: Id(9)] string Completes = "",
    [property: Id(10)] string Parameters = "",
    [property: Id(11)] string Source = "");
