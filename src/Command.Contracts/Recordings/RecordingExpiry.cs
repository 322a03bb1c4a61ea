namespace Command.Contracts.Recordings;

/// <summary>When a recording is past keeping: it ended longer than the retention period ago. One still running never is.</summary>
public static class RecordingExpiry
{
    public static bool IsDue(DateTimeOffset? endedAt, DateTimeOffset at, TimeSpan retention) => endedAt is { } ended && at - ended > retention;
}
