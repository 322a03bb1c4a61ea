using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip;

/// <summary>
/// What takes calls for <see cref="SipCore"/>: the requests about calls a terminal sends, and the
/// answers and timeouts of the INVITEs the bridge sent.
/// </summary>
public interface ISipCalls
{
    void OnInvite(ServerTransaction transaction);

    void OnAck(AdmittedRequest ack);

    void OnBye(ServerTransaction transaction);

    void OnCancel(ServerTransaction transaction);

    void OnInfo(ServerTransaction transaction);

    void OnResponse(ClientTransaction transaction, SipResponse response);

    /// <summary>A 2xx to an INVITE the bridge sent came again, so the peer has not seen the ACK.</summary>
    void OnInviteSuccessRetransmitted(SipResponse response);

    void OnTimeout(ClientTransaction transaction);
}
