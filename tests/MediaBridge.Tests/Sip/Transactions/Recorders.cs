using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Tests.Sip.Transactions;

/// <summary>Captures what the transaction layer puts on the wire, parsed back, with the time it was sent.</summary>
public sealed class RecordingSender(TimeProvider time) : ISipSender
{
    public List<(TimeSpan At, SipMessage Message, IPEndPoint Remote)> Sent { get; } = [];

    public DateTimeOffset Start { get; } = time.GetUtcNow();

    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable)
    {
        Assert.True(SipParser.TryParse(message.Span, datagram: true, out var parsed, out var error), error?.Reason);
        Sent.Add((time.GetUtcNow() - Start, parsed, remote));
    }

    public IEnumerable<int> Statuses => Sent.Select(s => s.Message).OfType<SipResponse>().Select(r => r.StatusCode);
}

/// <summary>A transaction user that records what reaches it.</summary>
public sealed class RecordingUser : ISipTransactionUser
{
    public List<ServerTransaction> Requests { get; } = [];

    public List<AdmittedRequest> Acks { get; } = [];

    public List<SipResponse> Responses { get; } = [];

    public List<object> Timeouts { get; } = [];

    public void OnRequest(ServerTransaction transaction) => Requests.Add(transaction);

    public void OnAck(AdmittedRequest ack, IPEndPoint remote) => Acks.Add(ack);

    public void OnResponse(ClientTransaction transaction, SipResponse response) => Responses.Add(response);

    public void OnTimeout(object transaction) => Timeouts.Add(transaction);
}
