using System.Collections.Immutable;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Sip.Registrar;

namespace MediaBridge.Legs.Calls;

/// <summary>
/// Venues' SIP terminals as legs of their sessions: venues in the plan are called at their
/// registered terminal (again after 2, 4, 8, 16 s, then every <see cref="RetryAfter"/> while that
/// fails or after the call drops), venues no longer in it are hung up. A venue not yet registered is called as soon as it
/// registers; one registered only at another bridge is called at the address it registered from. A
/// terminal whose keep-alive goes unanswered has its calls ended, and is called again as soon as it
/// registers. A venue held by a kind of leg that takes precedence (a browser) is not called.
/// </summary>
public sealed class SipLegs : ILegKind
{
    private readonly CallBook book;
    private readonly OutboundCalls outbound;
    private readonly SipRegistrar registrar;

    public SipLegs(CallBook book, OutboundCalls outbound, SipRegistrar registrar)
    {
        this.book = book;
        this.outbound = outbound;
        this.registrar = registrar;
        book.Media.LegSilent += OnSilent;
        registrar.KeepAliveFailed += OnTerminalGone;
    }

    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A venue terminal auto-answers, so a call that failed or dropped once (a bridge that died, a
    /// network blip) is tried again within seconds; one that keeps failing backs off to <see cref="RetryAfter"/>.
    /// </summary>
    public static TimeSpan RetryDelay(int strikes, TimeSpan cap)
    {
        var delay = TimeSpan.FromSeconds(2 * Math.Pow(2, Math.Clamp(strikes - 1, 0, 10)));
        return delay < cap ? delay : cap;
    }

    /// <summary>How long a terminal may ring before the bridge cancels the call.</summary>
    public TimeSpan RingLimit { get; init; } = TimeSpan.FromSeconds(45);

    public int ActiveLegs
    {
        get
        {
            lock (book.Gate)
            {
                return book.Calls.Values.Count(c => c.State is LegState.Calling or LegState.Connected);
            }
        }
    }

    public void Release(ConferencePlan plan)
    {
        lock (book.Gate)
        {
            if (!plan.Live)
            {
                foreach (var call in book.Calls.Values.Where(c => c.SessionId == plan.SessionId && !c.MediaReleased).ToList())
                {
                    book.HangUp(call, LegState.Ended, "the session ended");
                }

                foreach (var key in book.Setbacks.Keys.Where(k => k.Session == plan.SessionId).ToList())
                {
                    book.Setbacks.Remove(key);
                    book.Strikes.Remove(key);
                }

                return;
            }

            var wanted = plan.Legs.Select(l => l.VenueId).ToHashSet(StringComparer.Ordinal);
            if (plan.Uplink is { } uplink)
            {
                // The upper session's call on a relay session's uplink is a member too.
                wanted.Add(uplink.UplinkId);
            }

            foreach (var call in book.Calls.Values.Where(c => c.SessionId == plan.SessionId && !c.MediaReleased && !wanted.Contains(c.VenueId)).ToList())
            {
                book.HangUp(call, LegState.Ended, "the venue left the session");
            }
        }
    }

    public void Place(ConferencePlan plan, ILegRoster roster)
    {
        lock (book.Gate)
        {
            var now = book.Now;
            foreach (var venueId in plan.Legs.Select(l => l.VenueId).Distinct(StringComparer.Ordinal))
            {
                if (roster.HeldBefore(this, plan.SessionId, venueId))
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
                    if (!justRegistered && now - failure.At < RetryDelay(book.Strikes.GetValueOrDefault(key), RetryAfter))
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
    }

    /// <summary>Cancels calls ringing longer than <see cref="RingLimit"/>.</summary>
    public void Tick()
    {
        lock (book.Gate)
        {
            var now = book.Now;
            foreach (var call in book.Calls.Values.Where(c => c.State == LegState.Calling && !c.Inbound && now - c.StartedAt > RingLimit).ToList())
            {
                book.HangUp(call, LegState.Failed, "the terminal did not answer");
            }
        }
    }

    public bool Holds(string sessionId, string venueId)
    {
        lock (book.Gate)
        {
            return book.Find(sessionId, venueId) is { MediaReleased: false };
        }
    }

    public IReadOnlyDictionary<string, LegState> States(string sessionId)
    {
        lock (book.Gate)
        {
            return book.Calls.Values.Where(c => c.SessionId == sessionId && !c.MediaReleased)
                .GroupBy(c => c.VenueId).ToImmutableDictionary(g => g.Key, g => g.Last().State, StringComparer.Ordinal);
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
}
