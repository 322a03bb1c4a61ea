namespace Command.Grains.Audit;

/// <summary>
/// Append-only storage for serialized audit entries, their signed head and the checkpoint list. The chain lives
/// outside grain state so that appending costs one write however long the log grows.
/// </summary>
public interface IAuditStore
{
    /// <summary>The number of entries, the last entry's hash and the signed head, read together.</summary>
    Task<AuditTip> ReadTipAsync();

    /// <summary>
    /// In one atomic step: if <paramref name="entryId"/> was appended before, returns that entry; otherwise, if the
    /// chain still ends at <paramref name="index"/> entries with <paramref name="previousHash"/>, appends
    /// <paramref name="entry"/> and makes <paramref name="hash"/> and <paramref name="signedHead"/> the new end.
    /// </summary>
    Task<AuditAppendResult> AppendAsync(string entryId, long index, string previousHash, string hash, string entry, string signedHead);

    /// <summary>Entries <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1, fewer at the end.</summary>
    Task<IReadOnlyList<string>> ReadAsync(long from, int count);

    Task AddCheckpointAsync(string checkpoint);

    Task<IReadOnlyList<string>> ReadCheckpointsAsync();
}
