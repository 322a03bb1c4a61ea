using Command.Contracts.Media;

namespace MediaBridge.Legs;

/// <summary>
/// One way a venue's media reaches a session's conference (a SIP call, a browser...). The
/// <see cref="LegPlanner"/> keeps every kind in line with the same plans: first each kind releases
/// the legs a plan no longer wants, then the routes are applied, then each kind places what is missing.
/// </summary>
public interface ILegKind
{
    /// <summary>Legs that are up or coming up.</summary>
    int ActiveLegs { get; }

    /// <summary>Ends this kind's legs of the plan's session whose venue left it, or all of them when the plan has ended.</summary>
    void Release(ConferencePlan plan);

    /// <summary>Places the legs of a live plan that this kind brings about itself and lacks; <paramref name="roster"/> says what other kinds hold.</summary>
    void Place(ConferencePlan plan, ILegRoster roster);

    /// <summary>This kind's own housekeeping, about once a second, after the plans are reconciled.</summary>
    void Tick();

    /// <summary>Whether a venue is in a session by a leg of this kind that is up or coming up.</summary>
    bool Holds(string sessionId, string venueId);

    /// <summary>The state of each venue's leg of this kind in a session, for the media reports.</summary>
    IReadOnlyDictionary<string, LegState> States(string sessionId);

    /// <summary>
    /// Members this kind adds to a live session's conference beyond the plan's venues (a watcher, a
    /// recorder), each with its mute and video source, routed together with the plan's own.
    /// </summary>
    IEnumerable<KeyValuePair<string, (bool Muted, string? Source, string? Feed)>> Members(ConferencePlan plan) => [];
}
