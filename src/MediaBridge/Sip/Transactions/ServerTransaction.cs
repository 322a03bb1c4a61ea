using System.Net;

namespace MediaBridge.Sip.Transactions;

/// <summary>A request received and the responses sent for it (RFC 3261 §17.2).</summary>
public sealed class ServerTransaction(string key, AdmittedRequest request, IPEndPoint remote, bool reliable)
{
    public string Key { get; } = key;

    public AdmittedRequest Request { get; } = request;

    public IPEndPoint Remote { get; } = remote;

    public bool Reliable { get; } = reliable;

    public bool IsInvite => Request.Message.Method == "INVITE";

    public TransactionState State { get; internal set; } = TransactionState.Started;

    /// <summary>The To tag this side adds to every response, so retransmitted answers stay identical.</summary>
    public string ToTag { get; } = SipResponses.NewTag();

    internal byte[]? LastResponse { get; set; }

    internal TimeSpan RetransmitInterval { get; set; }
}
