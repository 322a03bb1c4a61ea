namespace Command.Contracts.Incidents;

/// <summary>An incident (突发事件) with its commanding level, links and timeline.</summary>
public interface IIncidentGrain : IGrainWithStringKey
{
    Task<IncidentSnapshot> CreateAsync(CreateIncidentCommand command, string actor);

    Task<IncidentSnapshot> GetAsync();

    /// <summary>Raises severity one grade; when the commanding level rises, its command venue joins the live sessions.</summary>
    Task<IncidentSnapshot> EscalateAsync(string actor, string? reason);

    /// <summary>
    /// Moves the status forward. Closing an incident whose sessions are still live or scheduled needs
    /// <paramref name="sessions"/>, and <see cref="ClosingSessions.Keep"/> needs a <paramref name="reason"/>.
    /// </summary>
    Task<IncidentSnapshot> SetStatusAsync(IncidentStatus status, string actor, ClosingSessions? sessions = null, string? reason = null);

    Task<IncidentSnapshot> LinkSessionAsync(string sessionId, string actor);

    Task<IncidentSnapshot> AttachFeedAsync(string feedId, string actor);

    /// <summary>Checks the incident exists and can take a new session, without changing it.</summary>
    [AlwaysInterleave]
    Task EnsureOpenAsync();
}
