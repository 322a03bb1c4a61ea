using System.Collections.Immutable;

namespace Command.Contracts.Audit;

/// <summary>The one writer of the audit chain, keyed <see cref="DefaultKey"/>, so entries link in order.</summary>
public interface IAuditLogGrain : IGrainWithStringKey
{
    const string DefaultKey = "audit";

    /// <summary>Appends once per <see cref="AuditRecord.EntryId"/>: a repeated id returns the entry already stored.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record);

    [AlwaysInterleave]
    Task<AuditPage> ReadAsync(long from, int count);

    [AlwaysInterleave]
    Task<AuditVerification> VerifyAsync();

    /// <summary>Adds the signed head to the checkpoint list unless the last checkpoint already covers it.</summary>
    Task<AuditHead?> CheckpointAsync();

    [AlwaysInterleave]
    Task<ImmutableArray<AuditHead>> CheckpointsAsync();

    [AlwaysInterleave]
    Task<AuditExport> ExportAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The audit key's public half (SubjectPublicKeyInfo, base64), for auditors to pin.</summary>
    [AlwaysInterleave]
    Task<string> PublicKeyAsync();
}
