using Command.Contracts;
using Command.Contracts.Media;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

/// <summary>
/// Automatic backup (备用会场自动接替) over a session's state: which legs count as down, since when,
/// and which of them are due for the backup venue. Pure functions; the grain supplies the clock.
/// </summary>
internal static class AutoBackup
{
    public const int DefaultAfterSeconds = 10;

    public const int MaxAfterSeconds = 3600;

    /// <summary>On by default for emergency sessions, where a silent venue cannot wait for the chair.</summary>
    public static bool DefaultEnabled(SessionKind kind) => kind == SessionKind.Emergency;

    public static void Validate(int? afterSeconds)
    {
        if (afterSeconds is < 1 or > MaxAfterSeconds)
        {
            throw CommandException.Invalid($"afterSeconds must be between 1 and {MaxAfterSeconds}.");
        }
    }

    /// <summary>Failed, dropped, or called and not connected; an ended leg was hung up on purpose.</summary>
    public static bool IsDown(LegState state) => state is LegState.Failed or LegState.Dropped or LegState.Calling;

    /// <summary>
    /// Notes a leg's new state; true when the set of down legs changed. A leg stays down from the
    /// first moment it was down until it connects, whatever it passes through on the way.
    /// </summary>
    public static bool Track(SessionState s, string venueId, LegState state, DateTimeOffset at)
    {
        var down = s.DownLegs.Find(d => d.VenueId == venueId);
        if (!IsDown(state))
        {
            return down is not null && s.DownLegs.Remove(down);
        }

        if (down is null)
        {
            s.DownLegs.Add(new LegDownState { VenueId = venueId, Since = at, State = state });
            return true;
        }

        if (down.State == state)
        {
            return false;
        }

        down.State = state;
        return true;
    }

    /// <summary>Drops what no longer applies: legs of venues that are no longer joined.</summary>
    public static bool Prune(SessionState s) =>
        s.DownLegs.RemoveAll(d => Floor.Find(s, d.VenueId)?.Status != ParticipantStatus.Joined) > 0;

    /// <summary>The down legs the rule may still act on, oldest outage first.</summary>
    public static IEnumerable<LegDownState> Pending(SessionState s) =>
        s.Created && s.Phase == SessionPhase.Live && s.AutoBackupEnabled
            ? s.DownLegs
                .Where(d => !d.Noted && Floor.Find(s, d.VenueId)?.Status == ParticipantStatus.Joined)
                .OrderBy(d => d.Since)
                .ThenBy(d => d.VenueId, StringComparer.Ordinal)
            : [];

    public static DateTimeOffset DueAt(SessionState s, LegDownState down) => down.Since + TimeSpan.FromSeconds(s.AutoBackupAfterSeconds);

    /// <summary>When the rule next has something to decide, or null when nothing is pending.</summary>
    public static DateTimeOffset? NextDue(SessionState s) =>
        Pending(s).Select(d => (DateTimeOffset?)DueAt(s, d)).Min();

    public static IReadOnlyList<LegDownState> Due(SessionState s, DateTimeOffset now) =>
        [.. Pending(s).Where(d => DueAt(s, d) <= now)];

    /// <summary>Why the rule acts, for the timeline: venue, leg state and how long it has been down.</summary>
    public static string Why(SessionState s, LegDownState down, DateTimeOffset now) =>
        $"{down.VenueId}'s leg {Describe(down.State)} for {(int)Math.Round(Math.Max(0, (now - down.Since).TotalSeconds))}s (limit {s.AutoBackupAfterSeconds}s)";

    private static string Describe(LegState state) => state switch
    {
        LegState.Calling => "called and not connected",
        _ => state.ToString().ToLowerInvariant(),
    };
}
