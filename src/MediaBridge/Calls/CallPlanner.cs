using System.Collections.Immutable;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Sip.Registrar;

namespace MediaBridge.Calls;

/// <summary>
/// Keeps each session's calls in line with its newest plan: venues in the plan are called at their
/// registered terminal (again every <see cref="RetryAfter"/> while that fails or after the call
/// drops), venues no longer in it are hung up, and mutes and video routes go to the media engine.
/// A venue not yet registered is called as soon as it registers; one registered only at another
/// bridge is called at the address it registered from. A terminal whose keep-alive goes unanswered
/// has its calls ended, and is called again as soon as it registers.
/// </summary>
public sealed class CallPlanner
{
    private readonly CallBook book;
    private readonly OutboundCalls outbound;
    private readonly SipRegistrar registrar;

    public CallPlanner(CallBook book, OutboundCalls outbound, SipRegistrar registrar)
    {
        this.book = book;
        this.outbound = outbound;
        this.registrar = registrar;
        book.Media.LegSilent += OnSilent;
        book.Media.Measured += OnMeasured;
        registrar.KeepAliveFailed += OnTerminalGone;
    }

    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a venue is already in a session another way (from a browser); its terminal is then not called.</summary>
    public Func<string, string, bool> JoinedElsewhere { get; init; } = (_, _) => false;

    /// <summary>The states of a session's legs that are not calls, for the media reports.</summary>
    public Func<string, IReadOnlyDictionary<string, LegState>> OtherLegStates { get; init; } = _ => ImmutableDictionary<string, LegState>.Empty;

    /// <summary>How long a terminal may ring before the bridge cancels the call.</summary>
    public TimeSpan RingLimit { get; init; } = TimeSpan.FromSeconds(45);

    public int Sessions
    {
        get
        {
            lock (book.Gate)
            {
                return book.Plans.Count;
            }
        }
    }

    public void Apply(ConferencePlan plan)
    {
        lock (book.Gate)
        {
            if (book.Plans.TryGetValue(plan.SessionId, out var held) && held.Version > plan.Version)
            {
                return;
            }

            if (!plan.Live)
            {
                book.Plans.Remove(plan.SessionId);
                foreach (var call in book.Calls.Values.Where(c => c.SessionId == plan.SessionId && !c.MediaReleased).ToList())
                {
                    book.HangUp(call, LegState.Ended, "the session ended");
                }

                foreach (var key in book.Setbacks.Keys.Where(k => k.Session == plan.SessionId).ToList())
                {
                    book.Setbacks.Remove(key);
                }

                book.Media.Close(plan.SessionId);
                return;
            }

            book.Plans[plan.SessionId] = plan;
            book.Media.Route(plan.SessionId, plan.Legs.ToDictionary(l => l.VenueId, l => (l.Muted, l.VideoSourceVenueId), StringComparer.Ordinal));
            Reconcile(plan);
        }
    }

    /// <summary>Runs about once a second: places calls that are due, and cancels those ringing too long.</summary>
    public void Tick()
    {
        lock (book.Gate)
        {
            foreach (var plan in book.Plans.Values.ToList())
            {
                Reconcile(plan);
            }

            var now = book.Now;
            foreach (var call in book.Calls.Values.Where(c => c.State == LegState.Calling && !c.Inbound && now - c.StartedAt > RingLimit).ToList())
            {
                book.HangUp(call, LegState.Failed, "the terminal did not answer");
            }
        }
    }

    /// <summary>The sessions this bridge carries, and the venues whose calls in each are connected.</summary>
    public IReadOnlyList<(string SessionId, IReadOnlyList<string> Connected)> Legs()
    {
        lock (book.Gate)
        {
            return [.. book.Plans.Keys.Select(s => (s, (IReadOnlyList<string>)[.. book.Calls.Values
                .Where(c => c.SessionId == s && c.State == LegState.Connected).Select(c => c.VenueId)]))];
        }
    }

    /// <summary>The current legs of every session, for the bridge's announcements.</summary>
    public int ActiveLegs()
    {
        lock (book.Gate)
        {
            return book.Calls.Values.Count(c => c.State is LegState.Calling or LegState.Connected);
        }
    }

    private void Reconcile(ConferencePlan plan)
    {
        var wanted = plan.Legs.Select(l => l.VenueId).ToHashSet(StringComparer.Ordinal);
        foreach (var call in book.Calls.Values.Where(c => c.SessionId == plan.SessionId && !c.MediaReleased && !wanted.Contains(c.VenueId)).ToList())
        {
            book.HangUp(call, LegState.Ended, "the venue left the session");
        }

        var now = book.Now;
        foreach (var venueId in wanted)
        {
            if (JoinedElsewhere(plan.SessionId, venueId))
            {
                if (book.Find(plan.SessionId, venueId) is { } call)
                {
                    book.HangUp(call, LegState.Ended, "the venue joined from a browser");
                }

                continue;
            }

            if (book.Find(plan.SessionId, venueId) is not null || book.Venues.SipUserOf(venueId) is not { } sipUser)
            {
                continue;
            }

            var binding = registrar.Reach(sipUser);
            var key = (plan.SessionId, venueId);
            if (book.Setbacks.TryGetValue(key, out var failure))
            {
                var justRegistered = failure.Reason == "not registered" && binding is not null;
                if (!justRegistered && now - failure.At < RetryAfter)
                {
                    continue;
                }
            }

            if (binding is null)
            {
                if (!book.Setbacks.TryGetValue(key, out var f) || f.Reason != "not registered")
                {
                    book.Events.Changed(plan.SessionId, venueId, LegState.Failed, "the venue's terminal is not registered");
                }

                book.Setbacks[key] = (now, "not registered");
                continue;
            }

            outbound.Dial(plan.SessionId, venueId, sipUser, binding);
        }
    }

    private void OnSilent(ConferenceLeg leg)
    {
        lock (book.Gate)
        {
            var call = book.Calls.Values.FirstOrDefault(c => c.Media == leg && c.State == LegState.Connected);
            if (call is null)
            {
                return;
            }

            book.HangUp(call, LegState.Dropped, "no media from the terminal");
            book.Events.TerminalLost(call.VenueId);
        }
    }

    /// <summary>The terminal stopped answering keep-alives: its calls end, and it is called again once it registers.</summary>
    private void OnTerminalGone(string sipUser)
    {
        if (book.Venues.VenueOf(sipUser) is not { } venueId)
        {
            return;
        }

        lock (book.Gate)
        {
            foreach (var call in book.Calls.Values.Where(c => c.VenueId == venueId && !c.MediaReleased && c.State is LegState.Calling or LegState.Connected).ToList())
            {
                book.HangUp(call, LegState.Dropped, "the terminal stopped answering keep-alives");
                book.Setbacks[(call.SessionId, venueId)] = (book.Now, "not registered");
            }
        }
    }

    private void OnMeasured(string sessionId, IReadOnlyList<LegMeasure> measures)
    {
        ImmutableDictionary<string, LegState> states;
        lock (book.Gate)
        {
            states = book.Calls.Values.Where(c => c.SessionId == sessionId && !c.MediaReleased)
                .GroupBy(c => c.VenueId).ToImmutableDictionary(g => g.Key, g => g.Last().State, StringComparer.Ordinal);
        }

        states = states.SetItems(OtherLegStates(sessionId));

        book.Events.Measured(sessionId, measures, states);
    }
}
