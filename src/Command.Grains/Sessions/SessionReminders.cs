namespace Command.Grains.Sessions;

/// <summary>Names of a session's durable reminders.</summary>
internal static class SessionReminders
{
    /// <summary>The next of: check-in opens, scheduled start, scheduled end.</summary>
    public const string Milestone = "milestone";

    /// <summary>Brings a polling session back after a silo loss, so the rotation resumes.</summary>
    public const string Polling = "polling";
}
