using System.Net;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip;

/// <summary>
/// Routes requests that passed the transaction layer: REGISTER to the registrar, OPTIONS answered
/// with what the bridge supports, and INVITE, ACK, BYE, CANCEL and INFO to the call layer. Answers
/// and timeouts go back to whichever sent the request: the registrar's keep-alives or the calls.
/// A bridge without a call layer (the registrar alone) refuses INVITE with 480.
/// </summary>
public sealed class SipCore(SipRegistrar registrar) : ISipTransactionUser
{
    public SipTransactionLayer Transactions { get; set; } = null!;

    /// <summary>The call layer, or null for a registrar alone.</summary>
    public ISipCalls? Calls { get; set; }

    /// <summary>This side's own registrations with registrars above it, or null when it has none.</summary>
    public SipRegistrations? Registrations { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        switch (transaction.Request.Message.Method)
        {
            case "REGISTER":
                registrar.Handle(transaction, Transactions);
                break;
            case "OPTIONS":
                Transactions.Respond(transaction, 200,
                [
                    new SipHeader(HeaderNames.Allow, string.Join(", ", SipAdmission.Supported)),
                    new SipHeader(HeaderNames.Accept, "application/sdp"),
                ]);
                break;
            case "INVITE" when Calls is null:
                Transactions.Respond(transaction, 480, [new SipHeader(HeaderNames.Warning, "399 bridge \"this bridge carries no calls\"")]);
                break;
            case "INVITE":
                Calls!.OnInvite(transaction);
                break;
            case "BYE" when Calls is not null:
                Calls.OnBye(transaction);
                break;
            case "CANCEL" when Calls is not null:
                Calls.OnCancel(transaction);
                break;
            case "INFO" when Calls is not null:
                Calls.OnInfo(transaction);
                break;
            default:
                Transactions.Respond(transaction, 481);
                break;
        }
    }

    public void OnAck(AdmittedRequest ack, IPEndPoint remote) => Calls?.OnAck(ack);

    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        if (Registrations?.OnResponse(transaction, response) == true)
        {
            return;
        }

        if (response.StatusCode >= 200 && registrar.OnPingAnswered(transaction))
        {
            return;
        }

        Calls?.OnResponse(transaction, response);
    }

    public void OnInviteSuccessRetransmitted(SipResponse response) => Calls?.OnInviteSuccessRetransmitted(response);

    public void OnTimeout(object transaction)
    {
        if (transaction is ClientTransaction client && Registrations?.OnTimeout(client) != true && !registrar.OnPingTimeout(client))
        {
            Calls?.OnTimeout(client);
        }
    }
}
