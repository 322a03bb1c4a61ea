using System.Text;
using Command.Contracts.Media;
using MediaBridge.Sdp;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Dialogs;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Legs.Calls;

/// <summary>
/// Requests terminals send the bridge about calls (RFC 3261 §13.3, §15, §9.2): an INVITE to
/// <c>sip:{sessionId}@bridge</c> from a venue of that live session, authenticated with the venue's
/// digest credentials; re-INVITEs that change a leg's media; ACK, BYE, CANCEL and INFO. The 2xx to
/// an INVITE is resent with doubling intervals until its ACK arrives, and the call is ended if none does.
/// </summary>
public sealed class InboundCalls(CallBook book, DigestAuthenticator digest, SipTimerSettings? timers = null)
{
    private readonly SipTimerSettings t = timers ?? SipTimerSettings.Default;

    /// <summary>
    /// Takes an INVITE to a contact this bridge registered upward (a cascade uplink), which the deployment
    /// above places as it calls any venue, without credentials; true when it is taken and answered there.
    /// </summary>
    public Func<ServerTransaction, bool>? Uplinks { get; set; }

    /// <summary>Takes an INFO inside a call (a cascade uplink's control from above); true when it is taken and answered there.</summary>
    public Func<ServerTransaction, Call, bool>? Infos { get; set; }

    public void OnInvite(ServerTransaction tx)
    {
        var request = tx.Request;
        if (request.To.Tag is not null)
        {
            OnReInvite(tx);
            return;
        }

        if (Uplinks?.Invoke(tx) == true)
        {
            return;
        }

        var verdict = digest.Verify("INVITE", request.Message.Headers.Values(HeaderNames.Authorization), out var user);
        if (verdict != DigestVerdict.Accepted)
        {
            book.Transactions.Respond(tx, 401, digest.Challenge(request.From.Uri.User, verdict == DigestVerdict.Stale).Select(c => new SipHeader(HeaderNames.WwwAuthenticate, c)));
            return;
        }

        if (request.Contacts.Count == 0)
        {
            book.Transactions.Respond(tx, 400, reason: "An INVITE needs a Contact");
            return;
        }

        var venueId = book.Venues.VenueOf(user!);
        var sessionId = request.RequestUri.User;
        lock (book.Gate)
        {
            if (sessionId is null || book.Plans.Find(sessionId) is not { } plan)
            {
                book.Transactions.Respond(tx, 404, reason: "No live session by that number on this bridge");
                return;
            }

            if (venueId is null || !plan.Legs.Any(l => l.VenueId == venueId))
            {
                book.Transactions.Respond(tx, 403, reason: "This venue is not in the session");
                return;
            }

            Accept(tx, sessionId, venueId, "replaced by the terminal's own call");
        }
    }

    /// <summary>
    /// Answers an INVITE as the member <paramref name="venueId"/> of the session's conference (a venue, or
    /// a cascade uplink), replacing that member's call if it has one; false when its offer is refused (4xx sent).
    /// </summary>
    public bool Accept(ServerTransaction tx, string sessionId, string venueId, string replaced)
    {
        var request = tx.Request;
        lock (book.Gate)
        {
            var offer = ReadOffer(tx);
            if (offer is { Error: { } error })
            {
                Refuse(tx, offer.Value.Status, error);
                return false;
            }

            if (book.Find(sessionId, venueId) is { } previous)
            {
                book.HangUp(previous, LegState.Ended, replaced);
            }

            var dialog = new SipDialog(request.CallId, tx.ToTag, request.To.Uri.Text, request.From.Uri.Text, request.Contacts[0].Uri.Text, tx.Remote, tx.Reliable)
            {
                RemoteTag = request.From.Tag,
                RouteSet = request.Message.Headers.Elements(HeaderNames.RecordRoute),
            };
            dialog.AcceptRemote(request.CSeq.Number);
            var call = new Call(sessionId, venueId, dialog, book.Media.CreateLeg(sessionId, venueId), inbound: true) { StartedAt = book.Now };
            if (!Answer(tx, call, offer?.Description))
            {
                book.ReleaseMedia(call);
                return false;
            }

            book.Calls[dialog.CallId] = call;
            book.Report(call, LegState.Calling, null);
            return true;
        }
    }

    public void OnAck(AdmittedRequest ack)
    {
        lock (book.Gate)
        {
            if (!book.Calls.TryGetValue(ack.CallId, out var call) || ack.To.Tag != call.Dialog.LocalTag || call.Unacknowledged is null)
            {
                return;
            }

            call.Unacknowledged = null;
            if (call.AwaitingAnswerInAck)
            {
                call.AwaitingAnswerInAck = false;
                var answer = SdpOffers.ReadAnswer(ack.Message.Body, book.Media.VideoCodecOf(call.SessionId));
                if (answer is null)
                {
                    book.HangUp(call, LegState.Failed, "the ACK carried no usable answer");
                    return;
                }

                book.Media.Negotiated(call.Media, answer);
            }

            if (call.State == LegState.Calling)
            {
                book.Report(call, LegState.Connected, null);
            }
        }
    }

    public void OnBye(ServerTransaction tx)
    {
        lock (book.Gate)
        {
            if (!TryFindDialog(tx, out var call))
            {
                return;
            }

            book.Transactions.Respond(tx, 200);
            book.Report(call, LegState.Dropped, "the terminal hung up");
            book.Release(call);
        }
    }

    /// <summary>§9.2: a CANCEL matching an INVITE still unanswered ends it with 487; otherwise there is nothing to cancel.</summary>
    public void OnCancel(ServerTransaction tx)
    {
        var invite = book.Transactions.FindInvite(tx.Request);
        if (invite is null || invite.State is not (TransactionState.Started or TransactionState.Proceeding))
        {
            book.Transactions.Respond(tx, 481);
            return;
        }

        book.Transactions.Respond(tx, 200);
        book.Transactions.Respond(invite, 487);
    }

    /// <summary>INFO (RFC 6086) inside a call, such as keypad presses, is acknowledged; outside one it has no dialog.</summary>
    public void OnInfo(ServerTransaction tx)
    {
        lock (book.Gate)
        {
            if (TryFindDialog(tx, out var call) && Infos?.Invoke(tx, call) != true)
            {
                book.Transactions.Respond(tx, 200);
            }
        }
    }

    /// <summary>Resends unacknowledged 2xx responses (§13.3.1.4) and ends calls whose ACK never came.</summary>
    public void Tick()
    {
        lock (book.Gate)
        {
            var now = book.Now;
            foreach (var call in book.Calls.Values.Where(c => c.Unacknowledged is not null && now >= c.ResendAt).ToList())
            {
                if (now - call.AnsweredAt >= t.Timeout)
                {
                    call.Unacknowledged = null;
                    book.HangUp(call, LegState.Dropped, "the terminal never acknowledged the answer");
                    continue;
                }

                book.Sender.Send(call.Unacknowledged, call.Dialog.Remote, call.Dialog.Reliable);
                call.ResendInterval = call.ResendInterval * 2 < t.T2 ? call.ResendInterval * 2 : t.T2;
                call.ResendAt = now + call.ResendInterval;
            }
        }
    }

    private void OnReInvite(ServerTransaction tx)
    {
        lock (book.Gate)
        {
            if (!TryFindDialog(tx, out var call))
            {
                return;
            }

            var offer = ReadOffer(tx);
            if (offer is { Error: { } error })
            {
                Refuse(tx, offer.Value.Status, error);
                return;
            }

            call.Dialog.Remote = tx.Remote;
            call.SdpVersion++;
            Answer(tx, call, offer?.Description);
        }
    }

    /// <summary>Answers the offer (or, with none, makes one) and sends the 2xx; false when the offer has nothing usable (488).</summary>
    private bool Answer(ServerTransaction tx, Call call, SessionDescription? offer)
    {
        var peer = tx.Remote.Address;
        SessionDescription body;
        if (offer is null)
        {
            body = book.Offer(call, peer);
            call.AwaitingAnswerInAck = true;
        }
        else
        {
            var ports = offer.Media.Select(m => m.Media == "video" ? call.Media.Video.Path.LocalPort : call.Media.Audio.Path.LocalPort).ToList();
            var answer = SdpNegotiator.Answer(offer, new AnswerOptions(book.AddressFor(peer), i => ports[i], book.Media.VideoCodecOf(call.SessionId), call.SdpSessionId, call.SdpVersion));
            if (answer.Answer is null)
            {
                book.Transactions.Respond(tx, 488, [new SipHeader(HeaderNames.Warning, $"305 bridge \"{answer.Refusal}\"")]);
                return false;
            }

            body = answer.Answer;
            book.Media.Negotiated(call.Media, SdpOffers.FromOffer(offer, answer));
        }

        var wire = book.Transactions.Respond(tx, 200,
            [new SipHeader(HeaderNames.Contact, book.Contact(peer, tx.Reliable)), new SipHeader(HeaderNames.ContentType, "application/sdp")],
            Encoding.UTF8.GetBytes(SdpWriter.Write(body)));
        call.Unacknowledged = wire;
        call.AnsweredAt = book.Now;
        call.ResendInterval = t.T1;
        call.ResendAt = book.Now + t.T1;
        return true;
    }

    private bool TryFindDialog(ServerTransaction tx, out Call call)
    {
        var request = tx.Request;
        if (!book.Calls.TryGetValue(request.CallId, out call!) || request.To.Tag != call.Dialog.LocalTag)
        {
            book.Transactions.Respond(tx, 481);
            return false;
        }

        if (!call.Dialog.AcceptRemote(request.CSeq.Number))
        {
            book.Transactions.Respond(tx, 500, reason: "CSeq out of order");
            return false;
        }

        return true;
    }

    /// <summary>415 names what the bridge accepts (§21.4.13); a malformed offer is a 400.</summary>
    private void Refuse(ServerTransaction tx, int status, string reason) =>
        book.Transactions.Respond(tx, status, status == 415 ? [new SipHeader(HeaderNames.Accept, "application/sdp")] : null, reason: reason);

    private static (SessionDescription? Description, int Status, string? Error)? ReadOffer(ServerTransaction tx)
    {
        var body = tx.Request.Message.Body;
        if (body.IsEmpty)
        {
            return null;
        }

        var type = tx.Request.Message.Headers[HeaderNames.ContentType];
        if (type is not null && !type.Split(';')[0].Trim().Equals("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            return (null, 415, "The body must be application/sdp");
        }

        return SdpParser.TryParse(Encoding.UTF8.GetString(body.Span), out var d, out var error) ? (d, 200, null) : (null, 400, $"Malformed SDP: {error}");
    }
}
