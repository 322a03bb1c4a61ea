namespace Command.Grains.Audit;

public enum AuditAppendStatus
{
    Appended,

    /// <summary>The id was appended before; nothing was added.</summary>
    Duplicate,

    /// <summary>The chain no longer ends where the writer thought: relink and try again.</summary>
    Moved,
}
