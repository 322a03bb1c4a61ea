using System.Net;
using System.Net.Sockets;

namespace Interop.Tests.Infrastructure;

/// <summary>A loopback UDP port free now, for a pushed camera's RTP; the shared Ports helper probes TCP.</summary>
public static class UdpPorts
{
    public static int Free()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
