using System.Net;

namespace MediaBridge.Sip.Transactions;

/// <summary>A request this bridge sent and is retransmitting until answered (RFC 3261 §17.1).</summary>
public sealed class ClientTransaction(string key, SipRequest request, byte[] wire, IPEndPoint remote, bool reliable)
{
    public string Key { get; } = key;

    public SipRequest Request { get; } = request;

    public IPEndPoint Remote { get; } = remote;

    public bool Reliable { get; } = reliable;

    public bool IsInvite => Request.Method == "INVITE";

    public TransactionState State { get; internal set; } = TransactionState.Started;

    internal byte[] Wire { get; } = wire;

    internal byte[]? Ack { get; set; }

    internal TimeSpan RetransmitInterval { get; set; }
}
