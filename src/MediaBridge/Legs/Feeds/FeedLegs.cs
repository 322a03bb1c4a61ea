using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using MediaBridge.Conference;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// The cameras of this bridge's sessions as a kind of leg: a camera is a source-only member of a
/// conference, sending video and receiving nothing. Each camera is ingested once per bridge however
/// many sessions use it, from the first plan that lists it until <see cref="FeedOptions.LetGo"/> after
/// the last one stops listing it (a quick re-attach finds it still flowing, its keyframe cached).
/// Each ingested camera is reported to its feed on every change of status and every
/// <see cref="FeedOptions.ReportEvery"/>, and as offline once let go. Cameras hold no venue.
/// </summary>
public sealed class FeedLegs(MediaEngine media, IFeedReports reports, FeedOptions options, TimeProvider time, Func<PlanFeed, CameraFeed, IFeedIngest> ingest)
    : ILegKind, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Held> held = new(StringComparer.Ordinal);

    /// <summary>Sessions' uses of cameras, each counted as a leg for the bridge's load.</summary>
    public int ActiveLegs
    {
        get
        {
            lock (gate)
            {
                return held.Values.Sum(h => h.Sessions.Count);
            }
        }
    }

    /// <summary>Cameras being ingested now, used or waiting to be let go.</summary>
    public int Ingested
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }

    /// <summary>The sessions that use a camera now, or null when it is not ingested.</summary>
    public IReadOnlySet<string>? UsersOf(string feedId)
    {
        lock (gate)
        {
            return held.TryGetValue(feedId, out var h) ? h.Sessions.ToImmutableHashSet(StringComparer.Ordinal) : null;
        }
    }

    public CameraFeed? CameraOf(string feedId)
    {
        lock (gate)
        {
            return held.GetValueOrDefault(feedId)?.Camera;
        }
    }

    public void Release(ConferencePlan plan)
    {
        lock (gate)
        {
            var wanted = plan.Live ? plan.Feeds.ToDictionary(f => f.FeedId, StringComparer.Ordinal) : [];
            foreach (var (feedId, h) in held)
            {
                if (h.Sessions.Contains(plan.SessionId) && (!wanted.TryGetValue(feedId, out var feed) || feed != h.Feed))
                {
                    Detach(h, plan.SessionId);
                }
            }
        }
    }

    public void Place(ConferencePlan plan, ILegRoster roster)
    {
        lock (gate)
        {
            foreach (var feed in plan.Feeds.DistinctBy(f => f.FeedId))
            {
                if (Hold(feed) is { } h && h.Sessions.Add(plan.SessionId))
                {
                    h.IdleSince = null;
                    media.AttachFeed(plan.SessionId, h.Camera);
                }
            }
        }
    }

    /// <summary>
    /// A watcher outside any session uses the camera in a room of its own: the camera is ingested (or
    /// kept) as for a session, and let go as usual once neither sessions nor watchers use it. A watcher
    /// takes the definition being ingested when the feed was redefined meanwhile.
    /// </summary>
    public CameraFeed Use(PlanFeed feed, string roomId)
    {
        lock (gate)
        {
            var h = Hold(feed) ?? held[feed.FeedId];
            if (h.Watchers.Add(roomId))
            {
                h.IdleSince = null;
                media.AttachFeed(roomId, h.Camera);
            }

            return h.Camera;
        }
    }

    /// <summary>The watcher's room no longer uses the camera.</summary>
    public void Unuse(string feedId, string roomId)
    {
        lock (gate)
        {
            if (held.TryGetValue(feedId, out var h) && h.Watchers.Remove(roomId))
            {
                media.DetachFeed(roomId, h.Camera);
                media.Close(roomId);
                if (h.Sessions.Count == 0 && h.Watchers.Count == 0)
                {
                    h.IdleSince = time.GetUtcNow();
                }
            }
        }
    }

    /// <summary>Lets go of cameras unused for <see cref="FeedOptions.LetGo"/>, and reports the others when due.</summary>
    public void Tick()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            foreach (var (feedId, h) in held.ToList())
            {
                if (h.IdleSince is { } idle && now - idle >= options.LetGo)
                {
                    Stop(h);
                    continue;
                }

                if (h.Ingest.Status != h.Reported || now - h.ReportedAt >= options.ReportEvery)
                {
                    Report(feedId, h);
                }
            }
        }
    }

    public bool Holds(string sessionId, string venueId) => false;

    public IReadOnlyDictionary<string, LegState> States(string sessionId) => ImmutableDictionary<string, LegState>.Empty;

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var h in held.Values.ToList())
            {
                foreach (var session in h.Sessions.ToList())
                {
                    Detach(h, session);
                }

                foreach (var room in h.Watchers)
                {
                    media.DetachFeed(room, h.Camera);
                }

                Stop(h);
            }
        }
    }

    /// <summary>
    /// The camera ingested to this definition, started if need be; null when a redefinition must wait
    /// for the sessions using the old one, which move over as their plans arrive. Watchers are moved at once.
    /// </summary>
    private Held? Hold(PlanFeed feed)
    {
        if (held.TryGetValue(feed.FeedId, out var h) && h.Feed != feed && h.Sessions.Count == 0)
        {
            // The feed was redefined (URL or credentials) while no session used it: the old ingest goes now.
            var watchers = h.Watchers.ToList();
            watchers.ForEach(room => media.DetachFeed(room, h.Camera));
            Stop(h);
            h = Start(feed);
            foreach (var room in watchers)
            {
                h.Watchers.Add(room);
                media.AttachFeed(room, h.Camera);
            }
        }

        return h is null ? Start(feed) : h.Feed == feed ? h : null;
    }

    private Held Start(PlanFeed feed)
    {
        var camera = media.CreateFeed(feed.FeedId, options.CachePackets, options.CacheBytes);
        var h = new Held(feed, camera, ingest(feed, camera));
        held[feed.FeedId] = h;
        Report(feed.FeedId, h);
        return h;
    }

    private void Detach(Held h, string sessionId)
    {
        h.Sessions.Remove(sessionId);
        media.DetachFeed(sessionId, h.Camera);
        media.Close(sessionId);
        if (h.Sessions.Count == 0 && h.Watchers.Count == 0)
        {
            h.IdleSince = time.GetUtcNow();
        }
    }

    private void Stop(Held h)
    {
        held.Remove(h.Feed.FeedId);

        // A pull's TEARDOWN may take a moment; the plans need not wait for it.
        _ = Task.Run(h.Ingest.Dispose);
        reports.Report(h.Feed.FeedId, new FeedMediaReport("", FeedStatus.Offline, null, null, null, null, null, null, options.Lease));
    }

    private void Report(string feedId, Held h)
    {
        var report = h.Ingest.Measure(options.Lease);
        (h.Reported, h.ReportedAt) = (report.Status, time.GetUtcNow());
        reports.Report(feedId, report);
    }

    private sealed class Held(PlanFeed feed, CameraFeed camera, IFeedIngest ingest)
    {
        public PlanFeed Feed { get; } = feed;

        public CameraFeed Camera { get; } = camera;

        public IFeedIngest Ingest { get; } = ingest;

        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        /// <summary>The rooms of watchers outside any session that use the camera.</summary>
        public HashSet<string> Watchers { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? IdleSince { get; set; }

        public FeedStatus Reported { get; set; } = (FeedStatus)(-1);

        public DateTimeOffset ReportedAt { get; set; }
    }
}
