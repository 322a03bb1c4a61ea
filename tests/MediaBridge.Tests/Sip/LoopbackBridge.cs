using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using MediaBridge.Tests.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Sip;

/// <summary>The bridge's SIP side on loopback sockets, as the node assembles it, for one test.</summary>
public sealed class LoopbackBridge : IAsyncDisposable
{
    public const string Domain = "127.0.0.1";
    public const string Password = "fs-2101-Sample!";

    private LoopbackBridge(UdpSipTransport udp, TcpSipTransport tcp, SipTransactionLayer layer, SipRegistrar registrar, PresenceRecorder presence)
    {
        Udp = udp;
        Tcp = tcp;
        Layer = layer;
        Registrar = registrar;
        Presence = presence;
    }

    public UdpSipTransport Udp { get; }

    public TcpSipTransport Tcp { get; }

    public SipTransactionLayer Layer { get; }

    public SipRegistrar Registrar { get; }

    public PresenceRecorder Presence { get; }

    /// <summary>Starts a bridge where venue 2101 has <see cref="Password"/>, on a free port unless one is given (to restart it).</summary>
    public static LoopbackBridge Start(SipTimerSettings? timers = null, FloodGuard? guard = null, IBindingStore? store = null, int port = 0)
    {
        var presence = new PresenceRecorder();
        var digest = new DigestAuthenticator(Domain, new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)), u => u == "2101" ? Password : null);
        var registrar = new SipRegistrar(digest, TimeProvider.System, presence, store);
        var core = new SipCore(registrar);
        var (udp, tcp) = Bind(port, guard);
        udp.Guard.Peers = registrar;
        tcp.Guard.Peers = registrar;
        var layer = new SipTransactionLayer(new SipTransports(udp, tcp), core, TimeProvider.System, timers);
        core.Transactions = layer;
        udp.Start(layer, TimeSpan.FromMilliseconds(5));
        tcp.Start(layer);
        return new LoopbackBridge(udp, tcp, layer, registrar, presence);
    }

    /// <summary>UDP and TCP on one port; with port 0 the free UDP port's TCP twin may be taken by another test or process, so a few are tried, as the node does.</summary>
    private static (UdpSipTransport Udp, TcpSipTransport Tcp) Bind(int port, FloodGuard? guard)
    {
        for (var attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, port), NullLogger.Instance, guard);
            try
            {
                return (udp, new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, udp.LocalEndPoint.Port), NullLogger.Instance));
            }
            catch (System.Net.Sockets.SocketException) when (port == 0 && attempt < 10)
            {
                udp.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>One keep-alive round, with Via naming the loopback port.</summary>
    public void KeepAlive(TimeSpan timeout) => Registrar.Ping(Layer, _ => Udp.LocalEndPoint.ToString(), Domain, timeout);

    public async ValueTask DisposeAsync()
    {
        await Tcp.DisposeAsync();
        await Udp.DisposeAsync();
    }
}
