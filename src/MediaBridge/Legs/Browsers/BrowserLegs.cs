using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Ice;
using MediaBridge.Rtp;
using MediaBridge.WebRtc;

namespace MediaBridge.Legs.Browsers;

/// <summary>
/// The browser venues of this bridge's sessions, joined in the WHIP style (RFC 9725): an offer
/// becomes a leg in the session's conference and an answer; the leg ends when the browser leaves,
/// its DTLS closes, its ICE consent lapses (RFC 7675), its media stops, or the plan no longer has
/// its venue. A venue that joins again replaces its earlier leg, which is how a page reconnects.
/// Browsers come to the bridge, so this kind places no legs itself.
/// </summary>
public sealed class BrowserLegs : ILegKind, IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, BrowserLeg> legs = new(StringComparer.Ordinal);
    private readonly ConferencePlans plans;
    private readonly MediaEngine media;
    private readonly DtlsCertificate certificate;
    private readonly ILegEvents events;
    private readonly IReadOnlyList<IPAddress> candidateAddresses;

    public BrowserLegs(ConferencePlans plans, MediaEngine media, DtlsCertificate certificate, ILegEvents events, IReadOnlyList<IPAddress> candidateAddresses)
    {
        this.plans = plans;
        this.media = media;
        this.certificate = certificate;
        this.events = events;
        this.candidateAddresses = candidateAddresses;
        media.LegSilent += OnSilent;
    }

    /// <summary>What a browser may send of video: enough for a clear 720p picture, within what SIP terminals take.</summary>
    public const long VideoBitrate = 1_500_000;

    public int ActiveLegs
    {
        get
        {
            lock (gate)
            {
                return legs.Values.Count(l => !l.Released);
            }
        }
    }

    /// <summary>Whether a venue of a session is in it from a browser.</summary>
    public bool Holds(string sessionId, string venueId)
    {
        lock (gate)
        {
            return legs.Values.Any(l => !l.Released && l.SessionId == sessionId && l.VenueId == venueId);
        }
    }

    /// <summary>The state of each browser leg of a session, for its media reports.</summary>
    public IReadOnlyDictionary<string, LegState> States(string sessionId)
    {
        lock (gate)
        {
            return legs.Values.Where(l => !l.Released && l.SessionId == sessionId)
                .ToImmutableDictionary(l => l.VenueId, l => l.State, StringComparer.Ordinal);
        }
    }

    public BrowserJoinResult Join(BrowserJoin join)
    {
        if (plans.Find(join.SessionId) is not { } plan)
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.NotLive, $"Session {join.SessionId} is not live on this bridge.");
        }

        if (!plan.Legs.Any(l => l.VenueId == join.VenueId))
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.NotInSession, $"Venue {join.VenueId} is not in session {join.SessionId}.");
        }

        if (!WebRtcOffer.TryRead(join.OfferSdp, out var offer, out var error))
        {
            return BrowserJoinResult.Refused(BrowserJoinStatus.BadOffer, error);
        }

        var credentials = IceCredentials.Create();
        WebRtcTransport? transport = null;
        var leg = media.CreateLeg(join.SessionId, join.VenueId, (_, ports) =>
        {
            transport = new WebRtcTransport(ports.AllocateSingle(), credentials, offer.IceUfrag, certificate, offer.Fingerprint);
            var audio = new LegStream(new BundlePath(transport, video: false), 48000);
            var video = new LegStream(new BundlePath(transport, video: true), 90000) { AllowedBitrate = VideoBitrate };
            return (audio, video, new BrowserTransport(transport, audio, video));
        });

        var port = transport!.LocalPort;
        var candidates = IceCandidateLine.Hosts(candidateAddresses.Select(a => new IPEndPoint(a, port))).Select(c => c.ToString()).ToList();
        var options = new WebRtcAnswerOptions(candidateAddresses[0].ToString(), port, candidates, credentials.Ufrag, credentials.Password,
            certificate.Fingerprint, media.VideoCodecOf(join.SessionId), leg.Audio.OutSsrc, leg.Video.OutSsrc,
            (ulong)RandomNumberGenerator.GetInt32(int.MaxValue));
        if (!WebRtcAnswerer.TryAnswer(offer, options, out var answer, out error))
        {
            media.Remove(leg);
            return BrowserJoinResult.Refused(BrowserJoinStatus.BadOffer, error);
        }

        transport.AudioPayloadTypes(answer.AudioPayloadTypes);
        var browser = new BrowserLeg(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), leg, transport);
        transport.Connected += () => OnConnected(browser);
        transport.Closed += reason => End(browser, browser.State == LegState.Connected ? LegState.Dropped : LegState.Failed, reason);
        media.Negotiated(leg, answer.Media);
        BrowserLeg? replaced;
        lock (gate)
        {
            replaced = legs.Values.FirstOrDefault(l => !l.Released && l.SessionId == join.SessionId && l.VenueId == join.VenueId);
            legs[browser.Id] = browser;
        }

        if (replaced is not null)
        {
            End(replaced, LegState.Ended, "the venue joined again from a browser", report: false);
        }

        events.Changed(join.SessionId, join.VenueId, LegState.Calling, "a browser joined; connecting");
        return new BrowserJoinResult(BrowserJoinStatus.Joined, answer.Sdp, browser.Id, null);
    }

    public bool Leave(string sessionId, string legId)
    {
        BrowserLeg? leg;
        lock (gate)
        {
            if (!legs.TryGetValue(legId, out leg) || leg.SessionId != sessionId || leg.Released)
            {
                return false;
            }
        }

        End(leg, LegState.Ended, "the browser left");
        return true;
    }

    /// <summary>Legs whose venue or session is gone from the plan end.</summary>
    public void Release(ConferencePlan plan)
    {
        List<BrowserLeg> gone;
        lock (gate)
        {
            var wanted = plan.Live ? plan.Legs.Select(l => l.VenueId).ToHashSet(StringComparer.Ordinal) : [];
            gone = legs.Values.Where(l => !l.Released && l.SessionId == plan.SessionId && !wanted.Contains(l.VenueId)).ToList();
        }

        foreach (var leg in gone)
        {
            End(leg, LegState.Ended, plan.Live ? "the venue left the session" : "the session ended");
        }
    }

    /// <summary>A browser leg starts with the browser's offer, never with the plan.</summary>
    public void Place(ConferencePlan plan, ILegRoster roster)
    {
    }

    /// <summary>Runs about once a second: legs whose browser stopped answering consent checks are dropped.</summary>
    public void Tick()
    {
        var now = MediaClock.NowTicks;
        List<BrowserLeg> lapsed;
        lock (gate)
        {
            lapsed = legs.Values.Where(l => !l.Released && l.State == LegState.Connected && l.Transport.ConsentExpired(now)).ToList();
        }

        foreach (var leg in lapsed)
        {
            End(leg, LegState.Dropped, "the browser stopped confirming consent (RFC 7675)");
        }
    }

    public void Dispose()
    {
        List<BrowserLeg> all;
        lock (gate)
        {
            all = legs.Values.ToList();
            legs.Clear();
        }

        all.ForEach(l => media.Remove(l.Media));
    }

    private void OnConnected(BrowserLeg leg)
    {
        lock (gate)
        {
            if (leg.Released)
            {
                return;
            }

            leg.State = LegState.Connected;
        }

        media.Ready(leg.Media);
        events.Changed(leg.SessionId, leg.VenueId, LegState.Connected, "browser media secured (DTLS-SRTP)");
    }

    /// <summary>
    /// A browser that sends nothing may still be watching (a receive-only venue): once connected, its
    /// consent checks (RFC 7675) say whether it is there, so media silence only ends legs that never connected.
    /// </summary>
    private void OnSilent(ConferenceLeg silent)
    {
        BrowserLeg? leg;
        lock (gate)
        {
            leg = legs.Values.FirstOrDefault(l => l.Media == silent && !l.Released);
        }

        if (leg is not null && !(leg.Transport.Secured && !leg.Transport.ConsentExpired(MediaClock.NowTicks)))
        {
            End(leg, leg.State == LegState.Connected ? LegState.Dropped : LegState.Failed, "no media from the browser");
        }
    }

    private void End(BrowserLeg leg, LegState state, string reason, bool report = true)
    {
        lock (gate)
        {
            if (leg.Released)
            {
                return;
            }

            leg.Released = true;
            leg.State = state;
            legs.Remove(leg.Id);
        }

        media.Remove(leg.Media);
        media.Close(leg.SessionId);
        if (report)
        {
            events.Changed(leg.SessionId, leg.VenueId, state, reason);
        }
    }
}
