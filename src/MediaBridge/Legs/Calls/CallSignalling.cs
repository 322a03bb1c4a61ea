using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Legs.Calls;

/// <summary>The call layer as the SIP core sees it: requests go to the inbound side, answers and timeouts of the bridge's INVITEs to the outbound side.</summary>
public sealed class CallSignalling(InboundCalls inbound, OutboundCalls outbound) : ISipCalls
{
    public void OnInvite(ServerTransaction transaction) => inbound.OnInvite(transaction);

    public void OnAck(AdmittedRequest ack) => inbound.OnAck(ack);

    public void OnBye(ServerTransaction transaction) => inbound.OnBye(transaction);

    public void OnCancel(ServerTransaction transaction) => inbound.OnCancel(transaction);

    public void OnInfo(ServerTransaction transaction) => inbound.OnInfo(transaction);

    public void OnResponse(ClientTransaction transaction, SipResponse response) => outbound.OnResponse(transaction, response);

    public void OnInviteSuccessRetransmitted(SipResponse response) => outbound.OnSuccessRetransmitted(response);

    public void OnTimeout(ClientTransaction transaction) => outbound.OnTimeout(transaction);
}
