using System.Net;

namespace MediaBridge.Sip;

/// <summary>An address is known when any of the parts knows it (the registrar, the call layer).</summary>
public sealed class SipPeerUnion(params ISipPeers[] parts) : ISipPeers
{
    public bool IsKnown(IPAddress address) => parts.Any(p => p.IsKnown(address));
}
