namespace Command.Contracts.Audit;

/// <summary>
/// The result of recomputing the chain and checking it against its signed head and checkpoints: intact, or the
/// first entry that does not hold, or why the chain's end does not match what was signed.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.audit-verification")]
public sealed record AuditVerification(
    [property: Id(0)] bool Intact,
    [property: Id(1)] long Checked,
    [property: Id(2)] long? FirstBrokenIndex,
    [property: Id(3)] string? Reason,
    [property: Id(4)] AuditHead? Head = null,
    [property: Id(5)] int CheckpointsChecked = 0);
