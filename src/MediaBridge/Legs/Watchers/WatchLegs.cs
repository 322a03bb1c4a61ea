using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Ice;
using MediaBridge.Legs.Browsers;
using MediaBridge.Legs.Feeds;
using MediaBridge.Rtp;
using MediaBridge.Sdp;
using MediaBridge.WebRtc;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Watchers;

/// <summary>
/// Browsers watching a picture without joining a session (WHEP): each watch is a receive-only WebRTC
/// leg, answered sendonly, that is sent video and nothing else (audio sections are refused, so a wall
/// of watches costs no audio encoding and adds nothing to any mix).
/// <list type="bullet">
/// <item>A venue watch is a muted member of the session's conference, <c>watch:{id}</c>, routed to the
/// venue's picture. It is never one of the session's venues: it holds none, reports no state, so no
/// leg event, status or media report of the session names it.</item>
/// <item>A camera watch has a room of its own, <c>whep:{id}</c>, with the camera attached through the
/// feed legs, which ingest each camera once per bridge however many sessions and watchers use it; the
/// camera's cached pictures give the first frame at once. Cameras send H.264 and nothing is transcoded,
/// so the offer must take H.264.</item>
/// </list>
/// A watch ends on DELETE, when its DTLS closes, when its ICE consent lapses (RFC 7675), when it never
/// connects, or, for a venue, when the session ends or no longer has the venue.
/// </summary>
public sealed partial class WatchLegs : ILegKind, IDisposable
{
    /// <summary>How a watch's member is named in a session's conference; no venue id has a colon.</summary>
    public const string MemberPrefix = "watch:";

    /// <summary>How a camera watch's own room is named; no session id has a colon.</summary>
    public const string RoomPrefix = "whep:";

    private readonly Lock gate = new();
    private readonly Dictionary<string, WatchLeg> watches = new(StringComparer.Ordinal);
    private readonly ConferencePlans plans;
    private readonly MediaEngine media;
    private readonly FeedLegs feeds;
    private readonly DtlsCertificate certificate;
    private readonly IReadOnlyList<IPAddress> candidateAddresses;
    private readonly ILogger logger;

    public WatchLegs(ConferencePlans plans, MediaEngine media, FeedLegs feeds, DtlsCertificate certificate, IReadOnlyList<IPAddress> candidateAddresses, ILogger<WatchLegs> logger)
    {
        this.logger = logger;
        this.plans = plans;
        this.media = media;
        this.feeds = feeds;
        this.certificate = certificate;
        this.candidateAddresses = candidateAddresses;
        media.LegSilent += OnSilent;
    }

    /// <summary>Raised with a watch's id when it ends by itself rather than on the cluster's request, so the cluster forgets it.</summary>
    public event Action<string>? Ended;

    /// <summary>Routes a session again once its watchers change; set by whoever wires the planner.</summary>
    public Action<string>? Reroute { get; set; }

    /// <summary>Watches up or coming up, each a leg of the bridge's load.</summary>
    public int ActiveLegs
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    public WatchResult Watch(WatchRequest request)
    {
        var target = request.Target;
        if (!WebRtcOffer.TryRead(request.OfferSdp, out var offer, out var error))
        {
            return WatchResult.Refused(WatchStatus.BadOffer, error);
        }

        if (!offer.Sdp.Media.Any(m => m.Port != 0 && m.Media == "video" && m.Direction is MediaDirection.RecvOnly or MediaDirection.SendRecv))
        {
            return WatchResult.Refused(WatchStatus.BadOffer, "A watch sends the picture to the browser: the offer needs a video section that receives (a=recvonly).");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        string room;
        VideoCodec codec;
        PlanFeed? camera = null;
        if (target.Kind == WatchKind.Venue)
        {
            if (plans.Find(target.SessionId ?? "") is not { } plan)
            {
                return WatchResult.Refused(WatchStatus.NotLive, $"Session {target.SessionId} is not live on this bridge.");
            }

            if (!plan.Legs.Any(l => l.VenueId == target.VenueId))
            {
                return WatchResult.Refused(WatchStatus.NotFound, $"Venue {target.VenueId} is not in session {target.SessionId}.");
            }

            (room, codec) = (plan.SessionId, media.VideoCodecOf(plan.SessionId));
            if (codec == VideoCodec.None)
            {
                // The first venue to send a picture fixes the session's codec; a watcher must not choose it for them.
                return WatchResult.Refused(WatchStatus.NoPicture, $"No venue of session {target.SessionId} sends a picture yet; watch again once one does.");
            }
        }
        else
        {
            if (request.Feed is null || request.Feed.FeedId != target.FeedId)
            {
                return WatchResult.Refused(WatchStatus.NotFound, $"Camera {target.FeedId} was not given to the bridge.");
            }

            (room, codec, camera) = (RoomPrefix + id, VideoCodec.H264, request.Feed);
        }

        // Tried before anything is made, so an offer without the codec starts no camera and takes no port.
        var wanted = ReceiveVideoOnly(offer);
        if (!Answerable(wanted, codec))
        {
            return Unanswerable(target, codec);
        }

        if (camera is not null)
        {
            feeds.Use(camera, room);
        }

        var credentials = IceCredentials.Create();
        WebRtcTransport? transport = null;
        ConferenceLeg leg;
        try
        {
            leg = media.CreateLeg(room, MemberPrefix + id, (_, ports) =>
            {
                transport = new WebRtcTransport(ports.AllocateSingle(), credentials, offer.IceUfrag, certificate, offer.Fingerprint);
                var audio = new LegStream(new BundlePath(transport, video: false), 48000);
                var video = new LegStream(new BundlePath(transport, video: true), 90000);
                return (audio, video, new BrowserTransport(transport, audio, video));
            });
        }
        catch
        {
            if (camera is not null)
            {
                feeds.Unuse(target.FeedId!, room);
            }

            throw;
        }

        var port = transport!.LocalPort;
        var options = new WebRtcAnswerOptions(candidateAddresses[0].ToString(), port,
            [.. IceCandidateLine.Hosts(candidateAddresses.Select(a => new IPEndPoint(a, port))).Select(c => c.ToString())],
            credentials.Ufrag, credentials.Password, certificate.Fingerprint, codec, leg.Audio.OutSsrc, leg.Video.OutSsrc,
            (ulong)RandomNumberGenerator.GetInt32(int.MaxValue));
        if (!WebRtcAnswerer.TryAnswer(wanted, options, out var answer, out _) || answer.Media.Video is null)
        {
            Drop(leg, target, room);
            return Unanswerable(target, codec);
        }

        var watch = new WatchLeg(id, target, room, leg, transport);
        transport.Connected += () => OnConnected(watch);
        transport.Closed += reason => End(watch, reason, told: false);
        lock (gate)
        {
            watches[id] = watch;
        }

        if (target.Kind == WatchKind.Feed)
        {
            media.Route(room, new Dictionary<string, (bool, string?, string?)>(StringComparer.Ordinal) { [watch.Member] = (true, null, target.FeedId) });
        }

        media.Negotiated(leg, answer.Media);
        if (target.Kind == WatchKind.Venue)
        {
            Reroute?.Invoke(room);
        }

        LogStarted(id, target.Describe(), codec);
        return new WatchResult(WatchStatus.Watching, answer.Sdp, id, null);
    }

    /// <summary>Ends a watch of the target on the cluster's request; false when there is none of that id and target.</summary>
    public bool End(WatchTarget target, string watchId)
    {
        WatchLeg? watch;
        lock (gate)
        {
            if (!watches.TryGetValue(watchId, out watch) || watch.Target != target)
            {
                return false;
            }
        }

        return End(watch, "the watcher stopped", told: true);
    }

    /// <summary>The muted members that watch a venue of the plan's session, each routed to the venue's picture.</summary>
    public IEnumerable<KeyValuePair<string, (bool Muted, string? Source, string? Feed)>> Members(ConferencePlan plan)
    {
        lock (gate)
        {
            return [.. watches.Values.Where(w => w.Target.Kind == WatchKind.Venue && w.Room == plan.SessionId)
                .Select(w => KeyValuePair.Create(w.Member, (true, w.Target.VenueId, (string?)null)))];
        }
    }

    /// <summary>Venue watches end with their session or when it drops the venue; the rest follow their browsers.</summary>
    public void Release(ConferencePlan plan)
    {
        foreach (var watch in VenueWatchesGone(plan.SessionId, plan.Live ? plan : null))
        {
            End(watch, plan.Live ? "the venue left the session" : "the session ended", told: false, reroute: false);
        }
    }

    /// <summary>A watch starts with the browser's offer, never with the plan.</summary>
    public void Place(ConferencePlan plan, ILegRoster roster)
    {
    }

    /// <summary>
    /// Runs about once a second: watches whose browser stopped confirming consent end, and so do venue
    /// watches whose session ended between the check and the watch's start.
    /// </summary>
    public void Tick()
    {
        var now = MediaClock.NowTicks;
        List<WatchLeg> lapsed;
        lock (gate)
        {
            lapsed = [.. watches.Values.Where(w => w.Connected && w.Transport.ConsentExpired(now))];
        }

        foreach (var watch in lapsed)
        {
            End(watch, "the browser stopped confirming consent (RFC 7675)", told: false);
        }

        List<string> sessions;
        lock (gate)
        {
            sessions = [.. watches.Values.Where(w => w.Target.Kind == WatchKind.Venue).Select(w => w.Room).Distinct()];
        }

        foreach (var session in sessions)
        {
            foreach (var watch in VenueWatchesGone(session, plans.Find(session)))
            {
                End(watch, "the session ended", told: false, reroute: false);
            }
        }
    }

    /// <summary>Watchers are no session's venues.</summary>
    public bool Holds(string sessionId, string venueId) => false;

    /// <summary>Watchers report no state, so they never show among a session's legs.</summary>
    public IReadOnlyDictionary<string, LegState> States(string sessionId) => ImmutableDictionary<string, LegState>.Empty;

    public void Dispose()
    {
        List<WatchLeg> all;
        lock (gate)
        {
            all = [.. watches.Values];
            watches.Clear();
        }

        all.ForEach(w => Drop(w.Media, w.Target, w.Room));
    }

    /// <summary>
    /// The offer as a watch answers it: audio and other sections refused, and video only received by
    /// the browser, so the answer says sendonly whatever direction the browser offered.
    /// </summary>
    private static WebRtcOffer ReceiveVideoOnly(WebRtcOffer offer) => offer with
    {
        Sdp = offer.Sdp with
        {
            Media = [.. offer.Sdp.Media.Select(m => m.Media != "video" ? m with { Port = 0 } : m with
            {
                Attributes = [.. m.Attributes.Where(a => a.Name is not ("sendrecv" or "sendonly" or "recvonly" or "inactive")), new SdpAttribute("recvonly", null)],
            })],
        },
    };

    private bool Answerable(WebRtcOffer offer, VideoCodec codec) =>
        WebRtcAnswerer.TryAnswer(offer, new WebRtcAnswerOptions("0.0.0.0", 9, [], "trial", "trial", certificate.Fingerprint, codec, 0, 0, 0), out var answer, out _)
        && answer.Media.Video is not null;

    private static WatchResult Unanswerable(WatchTarget target, VideoCodec codec) => WatchResult.Refused(WatchStatus.BadOffer, target.Kind == WatchKind.Feed
        ? "Cameras send H.264 and the bridge does not transcode: the offer must receive H.264 (packetization-mode=1)."
        : $"Session {target.SessionId} sends {codec} video and the bridge does not transcode: the offer must receive {codec}.");

    private List<WatchLeg> VenueWatchesGone(string sessionId, ConferencePlan? live)
    {
        lock (gate)
        {
            return [.. watches.Values.Where(w => w.Target.Kind == WatchKind.Venue && w.Room == sessionId
                && (live is null || !live.Legs.Any(l => l.VenueId == w.Target.VenueId)))];
        }
    }

    private void OnConnected(WatchLeg watch)
    {
        lock (gate)
        {
            if (!watches.ContainsKey(watch.Id))
            {
                return;
            }

            watch.Connected = true;
        }

        media.Ready(watch.Media);
    }

    /// <summary>A watcher sends no media, so silence only ends a watch that never connected or whose consent lapsed.</summary>
    private void OnSilent(ConferenceLeg silent)
    {
        WatchLeg? watch;
        lock (gate)
        {
            watch = watches.Values.FirstOrDefault(w => w.Media == silent);
        }

        if (watch is not null && !(watch.Transport.Secured && !watch.Transport.ConsentExpired(MediaClock.NowTicks)))
        {
            End(watch, "the browser never connected", told: false);
        }
    }

    /// <summary>Ends a watch once; <paramref name="told"/> when the cluster asked for it, so it already knows.</summary>
    private bool End(WatchLeg watch, string reason, bool told, bool reroute = true)
    {
        lock (gate)
        {
            if (!watches.Remove(watch.Id))
            {
                return false;
            }
        }

        LogEnded(watch.Id, watch.Target.Describe(), reason);
        Drop(watch.Media, watch.Target, watch.Room);
        if (reroute && watch.Target.Kind == WatchKind.Venue)
        {
            Reroute?.Invoke(watch.Room);
        }

        if (!told)
        {
            Ended?.Invoke(watch.Id);
        }

        return true;
    }

    private void Drop(ConferenceLeg leg, WatchTarget target, string room)
    {
        media.Remove(leg);
        if (target.Kind == WatchKind.Feed)
        {
            feeds.Unuse(target.FeedId!, room);
        }

        media.Close(room);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {WatchId} of {Target} answered with {Codec} video")]
    private partial void LogStarted(string watchId, string target, VideoCodec codec);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch {WatchId} of {Target} ended: {Reason}")]
    private partial void LogEnded(string watchId, string target, string reason);

    private sealed class WatchLeg(string id, WatchTarget target, string room, ConferenceLeg media, WebRtcTransport transport)
    {
        public string Id { get; } = id;

        public WatchTarget Target { get; } = target;

        /// <summary>The media engine's room: the session's for a venue watch, its own for a camera watch.</summary>
        public string Room { get; } = room;

        public string Member => Media.VenueId;

        public ConferenceLeg Media { get; } = media;

        public WebRtcTransport Transport { get; } = transport;

        public bool Connected { get; set; }
    }
}
