namespace Command.Grains.Audit;

/// <summary>
/// Append-only storage for serialized audit entries. The chain lives outside grain state so that
/// appending costs one write however long the log grows.
/// </summary>
public interface IAuditStore
{
    Task<long> CountAsync();

    Task AppendAsync(string entry);

    /// <summary>Entries <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1, fewer at the end.</summary>
    Task<IReadOnlyList<string>> ReadAsync(long from, int count);
}
