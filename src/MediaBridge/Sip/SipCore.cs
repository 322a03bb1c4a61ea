using System.Net;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip;

/// <summary>
/// Routes requests that passed the transaction layer: REGISTER to the registrar, OPTIONS answered
/// with what the bridge supports; answers and timeouts of the registrar's keep-alives go back to it. Conference calls are not bridged by this layer yet, so an INVITE
/// is refused with 480 and a Warning saying so; requests outside any dialog get 481.
/// </summary>
public sealed class SipCore(SipRegistrar registrar) : ISipTransactionUser
{
    public SipTransactionLayer Transactions { get; set; } = null!;

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
            case "INVITE":
                Transactions.Respond(transaction, 480, [new SipHeader(HeaderNames.Warning, "399 bridge \"calls are not bridged by this build yet\"")]);
                break;
            default:
                Transactions.Respond(transaction, 481);
                break;
        }
    }

    public void OnAck(AdmittedRequest ack, IPEndPoint remote)
    {
    }

    public void OnResponse(ClientTransaction transaction, SipResponse response)
    {
        if (response.StatusCode >= 200)
        {
            registrar.OnPingAnswered(transaction);
        }
    }

    public void OnTimeout(object transaction)
    {
        if (transaction is ClientTransaction client)
        {
            registrar.OnPingTimeout(client);
        }
    }
}
