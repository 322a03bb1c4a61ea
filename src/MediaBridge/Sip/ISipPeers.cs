using System.Net;

namespace MediaBridge.Sip;

/// <summary>
/// Which source addresses the bridge already knows from authenticated traffic: a live registration or
/// an established dialog. The transport asks it so a flood cannot lock such an address out.
/// </summary>
public interface ISipPeers
{
    bool IsKnown(IPAddress address);
}
