using System.Text;
using Command.Contracts.Media;
using MediaBridge.Sdp;
using MediaBridge.Sip;
using MediaBridge.Sip.Dialogs;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Legs.Calls;

/// <summary>
/// Calls this bridge places to venue terminals (RFC 3261 §13.2): the INVITE with the bridge's offer,
/// the dialog made from the 2xx, the ACK sent for it (and again for each retransmitted 2xx), and the
/// failure of a call that is refused or never answered.
/// </summary>
public sealed class OutboundCalls(CallBook book)
{
    /// <summary>Calls a venue's registered terminal into a session. Caller holds the book's gate.</summary>
    public Call Dial(string sessionId, string venueId, string sipUser, SipBinding binding)
    {
        var domain = book.Venues.Domain;
        var leg = book.Media.CreateLeg(sessionId, venueId);
        var dialog = new SipDialog(
            $"{SipResponses.NewTag()}@{domain}", SipResponses.NewTag(), $"sip:{sessionId}@{domain}", $"sip:{sipUser}@{domain}",
            binding.Contact, binding.Source, binding.Reliable);
        var call = new Call(sessionId, venueId, dialog, leg, inbound: false) { StartedAt = book.Now };
        var peer = binding.Source.Address;
        var offer = Encoding.UTF8.GetBytes(SdpWriter.Write(book.Offer(call, peer)));
        var invite = dialog.Request("INVITE", book.Via(peer, binding.Reliable), book.Contact(peer, binding.Reliable),
            [new SipHeader(HeaderNames.ContentType, "application/sdp"), new SipHeader(HeaderNames.Allow, string.Join(", ", SipAdmission.Supported))],
            offer);
        book.Calls[dialog.CallId] = call;
        call.Invite = book.Transactions.Send(invite, binding.Source, binding.Reliable);
        book.Report(call, LegState.Calling, null);
        return call;
    }

    public void OnResponse(ClientTransaction tx, SipResponse response)
    {
        lock (book.Gate)
        {
            if (tx.Request.CallId is not { } callId || !book.Calls.TryGetValue(callId, out var call) || call.Invite != tx)
            {
                return;
            }

            if (response.StatusCode < 200)
            {
                call.Provisional = response.StatusCode > 100;
                if (call.HangUpWhenAnswered && call.Provisional)
                {
                    book.HangUp(call, call.State, "left the session while ringing");
                }

                return;
            }

            call.Invite = null;
            if (response.StatusCode >= 300)
            {
                var reason = $"{response.StatusCode} {response.Reason}";
                if (!call.HangUpWhenAnswered)
                {
                    book.Report(call, LegState.Failed, reason);
                }

                book.Release(call);
                return;
            }

            Establish(call, tx, response);
        }
    }

    /// <summary>The peer resent its 2xx, so it has not seen the ACK: send it again (§13.2.2.4).</summary>
    public void OnSuccessRetransmitted(SipResponse response)
    {
        lock (book.Gate)
        {
            if (response.CallId is { } callId && book.Calls.TryGetValue(callId, out var call) && call.Ack is { } ack)
            {
                book.Sender.Send(ack, call.Dialog.Remote, call.Dialog.Reliable);
            }
        }
    }

    public void OnTimeout(ClientTransaction tx)
    {
        lock (book.Gate)
        {
            if (tx.Request.CallId is { } callId && book.Calls.TryGetValue(callId, out var call) && call.Invite == tx)
            {
                if (!call.HangUpWhenAnswered)
                {
                    book.Report(call, LegState.Failed, "no answer from the terminal");
                }

                book.Release(call);
            }
        }
    }

    private void Establish(Call call, ClientTransaction tx, SipResponse response)
    {
        var dialog = call.Dialog;
        if (NameAddress.TryParse(response.Headers[HeaderNames.To] ?? "", out var to))
        {
            dialog.RemoteTag = to.Tag;
        }

        if (response.Headers.Elements(HeaderNames.Contact).FirstOrDefault() is { } contact && NameAddress.TryParse(contact, out var target))
        {
            dialog.RemoteTarget = target.Uri.Text;
        }

        // §12.1.2: the UAC's route set is the Record-Route of the 2xx, in reverse order.
        dialog.RouteSet = [.. response.Headers.Elements(HeaderNames.RecordRoute).AsEnumerable().Reverse()];
        var number = CSeqHeader.TryParse(tx.Request.Headers[HeaderNames.CSeq] ?? "", out var cseq) ? cseq.Number : 1;
        var ack = dialog.Request("ACK", book.Via(dialog.Remote.Address, dialog.Reliable), null, sequence: number);
        call.Ack = SipWriter.Write(ack);
        book.Sender.Send(call.Ack, dialog.Remote, dialog.Reliable);
        if (call.HangUpWhenAnswered)
        {
            var bye = dialog.Request("BYE", book.Via(dialog.Remote.Address, dialog.Reliable), null);
            book.Transactions.Send(bye, dialog.Remote, dialog.Reliable);
            book.Release(call);
            return;
        }

        var answer = SdpOffers.ReadAnswer(response.Body, book.Media.VideoCodecOf(call.SessionId));
        if (answer is null)
        {
            // §13.2.1: the answer is unusable; the only way out of an accepted INVITE is BYE.
            book.HangUp(call, LegState.Failed, "the terminal's answer has no PCMU, PCMA, H.264 or VP8 stream");
            return;
        }

        book.Media.Negotiated(call.Media, answer);
        book.Report(call, LegState.Connected, null);
    }
}
