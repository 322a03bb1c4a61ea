using System.Collections.Immutable;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using MediaBridge.Legs.Calls;
using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// The deployment above's calls on this bridge's uplinks (级联): an INVITE to a contact an uplink registered,
/// from its registrar's address, rings while the cluster names the relay session it joins, and is answered
/// as the member <c>{uplinkId}</c> of that session's conference once the session's plan, naming the uplink,
/// is live here; the call itself is an ordinary SIP leg of the call book from then on (re-INVITE, BYE, media).
/// The member receives what the plan sends up: the session's broadcast picture and the mix of its unmuted
/// venues. A BYE from above ends this leg only; the session goes on, and the next call rejoins it.
/// Both ways of cascaded roll call (级联点名) pass here: above, a venue's plan asking its deployment below
/// for one of its venues is told down that venue's call as a <see cref="CascadeControl"/> INFO; below,
/// such an INFO on an uplink's call is handed to the relay session, and answered with its verdict.
/// The roster goes the other way (级联名册): below, the relay session's venues, as its plan lists them with the
/// bridge's word on whose media is connected, are sent up the call as a <see cref="CascadeRoster"/> INFO once it is
/// connected and again on each change, no more often than <see cref="RosterEvery"/>; above, such an INFO on a
/// venue's call is reported to the session and answered 200 (400 when its body is no roster).
/// </summary>
public sealed partial class UplinkCalls : ILegKind
{
    private readonly UplinkLegs uplinks;
    private readonly CallBook book;
    private readonly InboundCalls inbound;
    private readonly IRelaySessions sessions;
    private readonly IRemoteRosters rosters;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Ringing> ringing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> told = new(StringComparer.Ordinal);

    // Per call from above (by Call-ID), under the book's gate: the roster it should have and the last one sent up it.
    private readonly Dictionary<string, RosterPacing> rostersUp = new(StringComparer.Ordinal);

    public UplinkCalls(UplinkLegs uplinks, CallBook book, InboundCalls inbound, IRelaySessions sessions, IRemoteRosters rosters, ILogger logger)
    {
        this.uplinks = uplinks;
        this.book = book;
        this.inbound = inbound;
        this.sessions = sessions;
        this.rosters = rosters;
        this.logger = logger;
        uplinks.InCall = SessionOf;
        inbound.Uplinks = OnInvite;
        inbound.Infos = OnInfo;
    }

    /// <summary>How long a call from above may ring while its relay session is found or opened and reaches this bridge.</summary>
    public TimeSpan AnswerWithin { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The least time between two rosters sent up one call; the changes within it go up together in the next.</summary>
    public TimeSpan RosterEvery { get; init; } = TimeSpan.FromMilliseconds(500);

    public int ActiveLegs => 0;

    /// <summary>Takes an INVITE to an uplink's registered contact from the registrar it registered with.</summary>
    public bool OnInvite(ServerTransaction tx)
    {
        var request = tx.Request;
        if (request.RequestUri.User is not { } user || uplinks.Called(user, tx.Remote.Address) is not { } uplinkId)
        {
            return false;
        }

        if (request.Contacts.Count == 0)
        {
            book.Transactions.Respond(tx, 400, reason: "An INVITE needs a Contact");
            return true;
        }

        Ringing? replaced;
        lock (gate)
        {
            ringing.Remove(uplinkId, out replaced);
            ringing[uplinkId] = new Ringing(tx, book.Now);
        }

        if (replaced is not null && Open(replaced.Transaction))
        {
            book.Transactions.Respond(replaced.Transaction, 486, reason: "Replaced by a newer call on this uplink");
        }

        LogCalled(uplinkId, tx.Remote.ToString());
        book.Transactions.Respond(tx, 180);
        _ = JoinAsync(uplinkId, tx);
        return true;
    }

    public void Release(ConferencePlan plan)
    {
        if (plan.Live)
        {
            return;
        }

        List<Ringing> ended;
        lock (gate)
        {
            ended = [.. ringing.Values.Where(r => r.SessionId == plan.SessionId)];
            foreach (var key in ringing.Where(r => r.Value.SessionId == plan.SessionId).Select(r => r.Key).ToList())
            {
                ringing.Remove(key);
            }
        }

        foreach (var r in ended.Where(r => Open(r.Transaction)))
        {
            book.Transactions.Respond(r.Transaction, 480, reason: "The relay session ended");
        }
    }

    public void Place(ConferencePlan plan, ILegRoster roster)
    {
        AnswerDue();
        TellBelow(plan);
        ReportUp(plan, roster);
    }

    /// <summary>A cascade control from above on an uplink's call: the relay session's verdict is the answer (200, or 4xx/5xx).</summary>
    public bool OnInfo(ServerTransaction tx, Call call)
    {
        if (!uplinks.Holds(call.VenueId))
        {
            return OnRoster(tx, call);
        }

        if (!CascadeRoster.IsCascade(tx.Request.Message))
        {
            book.Transactions.Respond(tx, 200);
            return true;
        }

        if (CascadeControl.Read(tx.Request.Message.Body.Span) is not { } control)
        {
            book.Transactions.Respond(tx, 400, reason: "Not a cascade roll call");
            return true;
        }

        _ = SendUpAsync(tx, call.VenueId, call.SessionId, control.VenueId);
        return true;
    }

    /// <summary>Sends up each call from above the roster it lacks, unless one went up it less than <see cref="RosterEvery"/> ago.</summary>
    public void SendRosters()
    {
        lock (book.Gate)
        {
            var now = book.Now;
            foreach (var (callId, pacing) in rostersUp.ToList())
            {
                if (!book.Calls.TryGetValue(callId, out var call) || call.State != LegState.Connected || call.MediaReleased)
                {
                    rostersUp.Remove(callId);
                    continue;
                }

                if (pacing.Take(now) is not { } body)
                {
                    continue;
                }

                var dialog = call.Dialog;
                var info = dialog.Request("INFO", book.Via(dialog.Remote.Address, dialog.Reliable), null,
                    [new SipHeader(HeaderNames.ContentType, CascadeControl.ContentType)], body);
                book.Transactions.Send(info, dialog.Remote, dialog.Reliable);
                LogRosterSent(call.VenueId, body.Length);
            }
        }
    }

    /// <summary>Answers the calls whose relay session is live here, gives up on those that rang too long, and re-reports uplinks whose call came or went.</summary>
    public void Tick()
    {
        AnswerDue();
        foreach (var id in uplinks.Ids)
        {
            var session = SessionOf(id);
            bool changed;
            lock (gate)
            {
                changed = !seen.TryGetValue(id, out var last) || last != session;
                seen[id] = session;
            }

            if (changed)
            {
                uplinks.Reassert(id);
            }
        }
    }

    public bool Holds(string sessionId, string venueId) => false;

    public IReadOnlyDictionary<string, LegState> States(string sessionId) => ImmutableDictionary<string, LegState>.Empty;

    /// <summary>The uplink's member: it hears the unmuted venues' mix and is sent the session's broadcast picture.</summary>
    public IEnumerable<KeyValuePair<string, (bool Muted, string? Source, string? Feed)>> Members(ConferencePlan plan) =>
        plan.Uplink is { } u ? [new(u.UplinkId, (u.Muted, u.VideoSourceVenueId, u.VideoSourceFeedId))] : [];

    /// <summary>The relay session of the uplink's connected call, or null when it has none.</summary>
    public string? SessionOf(string uplinkId)
    {
        lock (book.Gate)
        {
            return book.Calls.Values.FirstOrDefault(c => c.VenueId == uplinkId && !c.MediaReleased && c.State == LegState.Connected)?.SessionId;
        }
    }

    /// <summary>Tells each connected call of a deployment below which of its venues to send up, once per change and per call.</summary>
    private void TellBelow(ConferencePlan plan)
    {
        lock (book.Gate)
        {
            foreach (var leg in plan.Legs)
            {
                if (book.Find(plan.SessionId, leg.VenueId) is not { State: LegState.Connected, Inbound: false } call
                    || (told.TryGetValue(call.Dialog.CallId, out var last) ? last == leg.RemoteVenueId : leg.RemoteVenueId is null))
                {
                    continue;
                }

                told[call.Dialog.CallId] = leg.RemoteVenueId;
                var dialog = call.Dialog;
                var info = dialog.Request("INFO", book.Via(dialog.Remote.Address, dialog.Reliable), null,
                    [new SipHeader(HeaderNames.ContentType, CascadeControl.ContentType)], CascadeControl.Write(leg.RemoteVenueId));
                book.Transactions.Send(info, dialog.Remote, dialog.Reliable);
                LogTold(leg.VenueId, leg.RemoteVenueId ?? "(its broadcast)");
            }

            foreach (var gone in told.Keys.Where(id => !book.Calls.ContainsKey(id)).ToList())
            {
                told.Remove(gone);
            }
        }
    }

    /// <summary>A deployment below's roster on its venue's call: reported to the session and answered 200, or 400 when the body is none.</summary>
    private bool OnRoster(ServerTransaction tx, Call call)
    {
        if (CascadeRoster.Answer(tx.Request.Message) is not { } answer)
        {
            return false;
        }

        if (answer.Status == 200)
        {
            rosters.Reported(call.SessionId, call.VenueId, answer.Venues);
            book.Transactions.Respond(tx, 200);
        }
        else
        {
            LogRosterRefused(call.VenueId);
            book.Transactions.Respond(tx, answer.Status, reason: "Not a cascade roster");
        }

        return true;
    }

    /// <summary>Notes the roster due up the relay session's connected call from above: the plan's, with "connected" for joined venues whose media is up here.</summary>
    private void ReportUp(ConferencePlan plan, ILegRoster roster)
    {
        if (plan.Uplink is not { } uplink)
        {
            return;
        }

        lock (book.Gate)
        {
            if (book.Calls.Values.FirstOrDefault(c => c.VenueId == uplink.UplinkId && c.SessionId == plan.SessionId && c.State == LegState.Connected && !c.MediaReleased) is not { } call)
            {
                return;
            }

            var connected = roster.ConnectedVenues(plan.SessionId);
            var due = CascadeRoster.Write(uplink.Roster.Select(v =>
                v.Status == "joined" && connected.Contains(v.VenueId) ? v with { Status = RemoteVenue.Connected } : v));
            if (!rostersUp.TryGetValue(call.Dialog.CallId, out var pacing))
            {
                rostersUp[call.Dialog.CallId] = pacing = new RosterPacing(RosterEvery);
            }

            pacing.Want(due);
        }

        SendRosters();
    }

    private async Task SendUpAsync(ServerTransaction tx, string uplinkId, string sessionId, string? venueId)
    {
        try
        {
            await sessions.SendUpAsync(uplinkId, sessionId, venueId);
            LogSendingUp(uplinkId, venueId ?? "(the broadcast)");
            book.Transactions.Respond(tx, 200);
        }
        catch (Exception e)
        {
            LogSendUpRefused(e, uplinkId, venueId ?? "(the broadcast)");
            book.Transactions.Respond(tx, e is Command.Contracts.CommandException ? 404 : 500, reason: "The relay session refused the roll call");
        }
    }

    private static bool Open(ServerTransaction tx) => tx.State is TransactionState.Started or TransactionState.Proceeding;

    private async Task JoinAsync(string uplinkId, ServerTransaction tx)
    {
        string sessionId;
        try
        {
            sessionId = await sessions.CalledAsync(uplinkId);
        }
        catch (Exception e)
        {
            LogRefused(e, uplinkId);
            lock (gate)
            {
                if (ringing.GetValueOrDefault(uplinkId)?.Transaction == tx)
                {
                    ringing.Remove(uplinkId);
                }
            }

            if (Open(tx))
            {
                book.Transactions.Respond(tx, 480, reason: "No relay session can take the call");
            }

            return;
        }

        lock (gate)
        {
            if (ringing.GetValueOrDefault(uplinkId) is { } r && r.Transaction == tx)
            {
                r.SessionId = sessionId;
            }
        }

        AnswerDue();
    }

    private void AnswerDue()
    {
        var now = book.Now;
        var answer = new List<(string Uplink, Ringing Call)>();
        var late = new List<Ringing>();
        lock (gate)
        {
            foreach (var (uplinkId, r) in ringing.ToList())
            {
                // The live plan naming the uplink may come before the cluster's answer does: either says which session it is.
                r.SessionId ??= book.Plans.Live().FirstOrDefault(p => p.Uplink?.UplinkId == uplinkId)?.SessionId;
                if (r.SessionId is { } sessionId && book.Plans.Find(sessionId)?.Uplink?.UplinkId == uplinkId)
                {
                    answer.Add((uplinkId, r));
                }
                else if (now - r.At > AnswerWithin || !Open(r.Transaction))
                {
                    late.Add(r);
                }
                else
                {
                    continue;
                }

                ringing.Remove(uplinkId);
            }
        }

        foreach (var (uplinkId, r) in answer.Where(a => Open(a.Call.Transaction)))
        {
            if (inbound.Accept(r.Transaction, r.SessionId!, uplinkId, "replaced by the upper session's new call"))
            {
                LogAnswered(uplinkId, r.SessionId!);
            }
        }

        foreach (var r in late.Where(l => Open(l.Transaction)))
        {
            book.Transactions.Respond(r.Transaction, 480, reason: "The relay session did not come live on this bridge in time");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The deployment above calls uplink {UplinkId} from {Remote}")]
    private partial void LogCalled(string uplinkId, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink {UplinkId}'s call answered into relay session {SessionId}")]
    private partial void LogAnswered(string uplinkId, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Venue {VenueId}, a deployment below, is asked to send up {RemoteVenueId}")]
    private partial void LogTold(string venueId, string remoteVenueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The session above asks uplink {UplinkId} to send up {VenueId}")]
    private partial void LogSendingUp(string uplinkId, string venueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session above asked uplink {UplinkId} to send up {VenueId}, which its relay session refused")]
    private partial void LogSendUpRefused(Exception e, string uplinkId, string venueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No relay session takes the call on uplink {UplinkId}")]
    private partial void LogRefused(Exception e, string uplinkId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Roster sent up uplink {UplinkId}'s call ({Bytes} bytes)")]
    private partial void LogRosterSent(string uplinkId, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Venue {VenueId} sent a cascade INFO that is not a roster; answered 400")]
    private partial void LogRosterRefused(string venueId);

    private sealed class Ringing(ServerTransaction transaction, DateTimeOffset at)
    {
        public ServerTransaction Transaction { get; } = transaction;

        public DateTimeOffset At { get; } = at;

        public string? SessionId { get; set; }
    }
}
