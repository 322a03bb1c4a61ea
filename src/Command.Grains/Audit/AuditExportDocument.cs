using System.Collections.Immutable;
using Command.Contracts.Audit;

namespace Command.Grains.Audit;

/// <summary>
/// What an export's signed payload holds: the entries in the range, the hash of the entry before them, and the
/// entries after them up to <see cref="Anchor"/> (the first signed checkpoint at or after the range, or the signed
/// head), so an auditor can recompute the chain from <see cref="PreviousHash"/> to a signature.
/// </summary>
public sealed record AuditExportDocument(
    string Format,
    DateTimeOffset ExportedAt,
    DateTimeOffset From,
    DateTimeOffset To,
    long FirstIndex,
    string PreviousHash,
    ImmutableArray<AuditEntry> Entries,
    ImmutableArray<AuditEntry> Continuation,
    AuditHead? Anchor,
    string PublicKey);
