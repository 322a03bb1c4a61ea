namespace Command.Contracts.Audit;

/// <summary>The one writer of the audit chain, keyed <see cref="DefaultKey"/>, so entries link in order.</summary>
public interface IAuditLogGrain : IGrainWithStringKey
{
    const string DefaultKey = "audit";

    Task<AuditEntry> AppendAsync(AuditRecord record);

    [AlwaysInterleave]
    Task<AuditPage> ReadAsync(long from, int count);

    [AlwaysInterleave]
    Task<AuditVerification> VerifyAsync();
}
