using System.Collections.Immutable;
using Command.Contracts.Media;
using MediaBridge.Conference;

namespace MediaBridge.Legs;

/// <summary>
/// Keeps every kind of leg in line with each session's newest plan, in one place: a plan is taken
/// once, each kind releases the legs it no longer wants, the plan's mutes and video routes go to the
/// media engine, and each kind places the legs it lacks; the same runs about once a second. Kinds are
/// given in order of precedence: a venue held by an earlier kind (a browser) is left alone by a later
/// one (its SIP terminal), and the earlier kind's state is the one reported. The media statistics of
/// every kind go to the sessions from here.
/// </summary>
public sealed class LegPlanner : ILegRoster
{
    private readonly Lock gate = new();
    private readonly ConferencePlans plans;
    private readonly MediaEngine media;
    private readonly ILegEvents events;
    private readonly ImmutableArray<ILegKind> kinds;

    public LegPlanner(ConferencePlans plans, MediaEngine media, ILegEvents events, params ImmutableArray<ILegKind> kinds)
    {
        this.plans = plans;
        this.media = media;
        this.events = events;
        this.kinds = kinds;
        media.Measured += OnMeasured;
    }

    /// <summary>The sessions live on this bridge.</summary>
    public int Sessions => plans.Count;

    /// <summary>Legs of every kind that are up or coming up, for the bridge's announcements.</summary>
    public int ActiveLegs => kinds.Sum(k => k.ActiveLegs);

    public void Apply(ConferencePlan plan)
    {
        lock (gate)
        {
            if (!plans.Take(plan))
            {
                return;
            }

            foreach (var kind in kinds)
            {
                kind.Release(plan);
            }

            if (!plan.Live)
            {
                media.Close(plan.SessionId);
                return;
            }

            Route(plan);
            foreach (var kind in kinds)
            {
                kind.Place(plan, this);
            }
        }
    }

    /// <summary>Routes a live session again, when a kind's own members (<see cref="ILegKind.Members"/>) change between plans.</summary>
    public void Reroute(string sessionId)
    {
        lock (gate)
        {
            if (plans.Find(sessionId) is { Live: true } plan)
            {
                Route(plan);
            }
        }
    }

    /// <summary>Runs about once a second: legs that are due are placed again, then each kind keeps house.</summary>
    public void Tick()
    {
        lock (gate)
        {
            foreach (var plan in plans.Live())
            {
                foreach (var kind in kinds)
                {
                    kind.Release(plan);
                    kind.Place(plan, this);
                }
            }

            foreach (var kind in kinds)
            {
                kind.Tick();
            }
        }
    }

    /// <summary>The connected legs of every live session, repeated to their venues each keep-alive round.</summary>
    public IReadOnlyList<(string SessionId, string VenueId)> Connected() =>
        [.. plans.Live().SelectMany(p => kinds.SelectMany(k => k.States(p.SessionId))
            .Where(s => s.Value == LegState.Connected).Select(s => (p.SessionId, s.Key)))];

    public bool HeldBefore(ILegKind kind, string sessionId, string venueId)
    {
        foreach (var earlier in kinds)
        {
            if (earlier == kind)
            {
                return false;
            }

            if (earlier.Holds(sessionId, venueId))
            {
                return true;
            }
        }

        return false;
    }

    public IReadOnlySet<string> LiveVenues(string sessionId) =>
        kinds.SelectMany(k => k.States(sessionId)).Where(s => s.Value is LegState.Calling or LegState.Connected)
            .Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    public IReadOnlySet<string> ConnectedVenues(string sessionId) =>
        kinds.SelectMany(k => k.States(sessionId)).Where(s => s.Value == LegState.Connected)
            .Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

    private void Route(ConferencePlan plan)
    {
        var routes = plan.Legs.ToDictionary(l => l.VenueId, l => (l.Muted, l.VideoSourceVenueId ?? l.VideoSourceUplinkId, l.VideoSourceFeedId), StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            foreach (var (member, route) in kind.Members(plan))
            {
                routes.TryAdd(member, route);
            }
        }

        media.Route(plan.SessionId, routes);
    }

    /// <summary>Each venue's state as its leg of highest precedence has it.</summary>
    private void OnMeasured(string sessionId, IReadOnlyList<LegMeasure> measures)
    {
        var states = ImmutableDictionary.Create<string, LegState>(StringComparer.Ordinal);
        for (var i = kinds.Length - 1; i >= 0; i--)
        {
            states = states.SetItems(kinds[i].States(sessionId));
        }

        events.Measured(sessionId, measures, states);
    }
}
