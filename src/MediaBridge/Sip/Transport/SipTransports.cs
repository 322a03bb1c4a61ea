using System.Net;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip.Transport;

/// <summary>Sends each message on the transport it belongs to: datagrams over UDP, connections over TCP.</summary>
public sealed class SipTransports(UdpSipTransport udp, TcpSipTransport? tcp) : ISipSender
{
    public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable)
    {
        if (reliable && tcp is not null)
        {
            tcp.Send(message, remote);
        }
        else
        {
            udp.Send(message, remote, reliable: false);
        }
    }
}
