namespace MediaBridge.Sip.Transactions;

/// <summary>What sits above the transactions: the registrar and the dialog layer (RFC 3261 §17 "TU").</summary>
public interface ISipTransactionUser
{
    /// <summary>A new request; answer it with <see cref="SipTransactionLayer.Respond"/>.</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK to a 2xx, which has no transaction of its own (§17.2.3).</summary>
    void OnAck(AdmittedRequest ack, System.Net.IPEndPoint remote);

    void OnResponse(ClientTransaction transaction, SipResponse response);

    /// <summary>A 2xx to an INVITE whose transaction has already ended: the peer did not get the ACK.</summary>
    void OnInviteSuccessRetransmitted(SipResponse response)
    {
    }

    /// <summary>Timer B or F fired with no final response, or Timer H with no ACK.</summary>
    void OnTimeout(object transaction);
}
