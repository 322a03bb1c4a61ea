namespace Command.Grains.Audit;

/// <summary>What an append did: <see cref="Existing"/> is the entry stored earlier under the same id, if any.</summary>
public sealed record AuditAppendResult(AuditAppendStatus Status, string? Existing = null);
