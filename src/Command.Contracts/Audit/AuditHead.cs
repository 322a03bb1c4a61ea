namespace Command.Contracts.Audit;

/// <summary>
/// The chain's end as the node signed it: <see cref="Count"/> entries, the last with <see cref="Hash"/>, signed at
/// <see cref="At"/>. <see cref="Signature"/> is ECDSA P-256 over SHA-256 (IEEE P1363, base64) of
/// <c>command-audit-head\n{Count}\n{Hash}\n{At as UTC ticks}</c>. Kept apart from the entries, it shows when the
/// newest entries were cut off.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.audit-head")]
public sealed record AuditHead(
    [property: Id(0)] long Count,
    [property: Id(1)] string Hash,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Signature);
