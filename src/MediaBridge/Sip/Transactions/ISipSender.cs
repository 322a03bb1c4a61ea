using System.Net;

namespace MediaBridge.Sip.Transactions;

/// <summary>Puts bytes on the wire towards a peer; UDP answers go to the source of the request (RFC 3581 symmetric response).</summary>
public interface ISipSender
{
    void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable);
}
