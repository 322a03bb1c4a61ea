namespace Command.Contracts.Audit;

/// <summary>What an entry stands for.</summary>
public static class AuditKinds
{
    /// <summary>A state-changing request about to run; written before it runs, so it is never acknowledged unrecorded.</summary>
    public const string Attempt = "attempt";

    /// <summary>How an attempt ended; <see cref="AuditEntry.Completes"/> names the attempt.</summary>
    public const string Outcome = "outcome";

    /// <summary>A single entry with its outcome, such as a refused read or a refused hub call.</summary>
    public const string Event = "event";
}
