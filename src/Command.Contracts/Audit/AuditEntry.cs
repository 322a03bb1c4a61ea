namespace Command.Contracts.Audit;

/// <summary>
/// One link of the audit chain (留痕). <see cref="Hash"/> is SHA-256 over this entry's fields and
/// <see cref="PreviousHash"/>, so changing or removing any stored entry breaks every link after it.
/// A state-changing request leaves two entries: an <see cref="AuditKinds.Attempt"/> written before it runs,
/// and an <see cref="AuditKinds.Outcome"/> naming the attempt in <see cref="Completes"/>.
/// Entries written before <see cref="EntryId"/> existed have it empty and are hashed over the first fields only.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] long Index,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Role,
    [property: Id(4)] string Action,
    [property: Id(5)] string Target,
    [property: Id(6)] int Outcome,
    [property: Id(7)] string Detail,
    [property: Id(8)] string PreviousHash,
    [property: Id(9)] string Hash,
    [property: Id(10)] string EntryId = "",
    [property: Id(11)] string Kind = "",
    [property: Id(12)] string Completes = "",
    [property: Id(13)] string Parameters = "",
    [property: Id(14)] string Source = "");
