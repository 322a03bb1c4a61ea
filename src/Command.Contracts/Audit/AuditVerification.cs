namespace Command.Contracts.Audit;

/// <summary>The result of recomputing the chain: intact, or the first entry that does not hold.</summary>
[GenerateSerializer, Immutable, Alias("command.audit-verification")]
public sealed record AuditVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long Checked,
    [property: Id(2)] long? FirstBrokenIndex,
    [property: Id(3)] string? Reason);
