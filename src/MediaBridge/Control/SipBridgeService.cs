using System.Net;
using System.Security.Cryptography;
using MediaBridge.Calls;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using MediaBridge.WebRtc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// Runs the bridge: SIP over UDP and TCP, transactions, the venue registrar, the calls and the
/// media engine, with credentials from the topology, registrations reported to the venue grains,
/// plans taken from the session grains and leg events reported back to them.
/// </summary>
public sealed partial class SipBridgeService(
    IOptions<BridgeOptions> options,
    VenueCredentials venues,
    GrainPresenceSink presence,
    GrainLegEvents legEvents,
    BridgeAgent agent,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger logger = loggers.CreateLogger<SipBridgeService>();
    private UdpSipTransport? transport;
    private TcpSipTransport? tcp;

    public IPEndPoint? SipEndPoint => transport?.LocalEndPoint;

    public SipRegistrar? Registrar { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await venues.RefreshAsync();
        var o = options.Value;
        var nonces = new NonceIssuer(RandomNumberGenerator.GetBytes(32), time, TimeSpan.FromMinutes(5));
        var digest = new DigestAuthenticator(venues.Domain, nonces, venues.PasswordOf, venues.AlgorithmsOf);
        Registrar = new SipRegistrar(digest, time, presence);
        legEvents.Registrar = Registrar;
        var core = new SipCore(Registrar);
        (transport, tcp) = await BindAsync(o);
        var senders = new SipTransports(transport, tcp);
        var transactions = new SipTransactionLayer(senders, core, time);
        core.Transactions = transactions;
        var mediaAddress = IPAddress.Parse(string.IsNullOrWhiteSpace(o.MediaAddress) ? o.SipAddress : o.MediaAddress);
        using var media = new MediaEngine(new MediaPorts(mediaAddress, o.RtpPortMin, o.RtpPortMax), loggers.CreateLogger<MediaEngine>());
        var book = new CallBook(transactions, senders, media, venues, legEvents, time, transport.LocalEndPoint, o.PublicAddress);
        core.Outbound = new OutboundCalls(book);
        var inbound = new InboundCalls(book, digest);
        core.Inbound = inbound;
        using var browsers = new BrowserLegs(media, DtlsCertificate.Create(), legEvents, CandidateAddresses(o, mediaAddress));
        var planner = new CallPlanner(book, core.Outbound, Registrar) { JoinedElsewhere = browsers.Has, OtherLegStates = browsers.States };
        agent.Planner = planner;
        agent.Browsers = browsers;
        transport.Start(transactions, TimeSpan.FromMilliseconds(20));
        tcp.Start(transactions);
        LogListening(transport.LocalEndPoint, venues.Domain);
        var bridgeId = string.IsNullOrWhiteSpace(o.BridgeId) ? $"{Environment.MachineName}:{transport.LocalEndPoint.Port}" : o.BridgeId;
        var reporting = legEvents.RunAsync(stoppingToken);
        var announcing = agent.RunAsync(bridgeId, transport.LocalEndPoint.ToString(), o.Capacity, () => (planner.Sessions, planner.ActiveLegs() + browsers.Count), stoppingToken);
        try
        {
            await RunTimersAsync(o, inbound, planner, browsers, transactions, stoppingToken);
        }
        finally
        {
            await Task.WhenAll(reporting, announcing);
            await tcp.DisposeAsync();
            await transport.DisposeAsync();
        }
    }

    /// <summary>2xx resends every 100 ms, call planning every second, registration expiry and keep-alives every few seconds.</summary>
    private async Task RunTimersAsync(BridgeOptions o, InboundCalls inbound, CallPlanner planner, BrowserLegs browsers, SipTransactionLayer transactions, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var nextPlan = time.GetUtcNow();
        var nextExpiry = time.GetUtcNow().AddSeconds(5);
        var nextPing = time.GetUtcNow().AddSeconds(o.KeepAliveSeconds);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var now = time.GetUtcNow();
                    inbound.Tick();
                    if (now >= nextPlan)
                    {
                        planner.Tick();
                        browsers.Tick();
                        nextPlan = now.AddSeconds(1);
                    }

                    if (now >= nextExpiry)
                    {
                        Registrar!.Expire();
                        nextExpiry = now.AddSeconds(5);
                    }

                    if (now >= nextPing)
                    {
                        Registrar!.Ping(transactions, transport!.LocalEndPoint, venues.Domain);
                        nextPing = now.AddSeconds(o.KeepAliveSeconds);
                    }
                }
                catch (Exception e)
                {
                    LogTimerFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The addresses browsers are told to reach the bridge at (ICE host candidates, RFC 8445 §5.1.1.1):
    /// the configured public ones for NAT, then the media address, or every interface's when bound to all.
    /// </summary>
    private static List<IPAddress> CandidateAddresses(BridgeOptions o, IPAddress mediaAddress)
    {
        var addresses = (o.IceAddresses ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IPAddress.Parse).ToList();
        if (!mediaAddress.Equals(IPAddress.Any) && !mediaAddress.Equals(IPAddress.IPv6Any))
        {
            addresses.Add(mediaAddress);
        }
        else
        {
            addresses.AddRange(System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .Where(a => a.AddressFamily == mediaAddress.AddressFamily && !a.IsIPv6LinkLocal)
                .OrderBy(IPAddress.IsLoopback));
        }

        return addresses.Distinct().DefaultIfEmpty(IPAddress.Loopback).ToList();
    }

    /// <summary>
    /// UDP and TCP on one port. With port 0 the UDP port is the system's choice, and the same number
    /// may be taken for TCP by another process, so a few choices are tried.
    /// </summary>
    private async Task<(UdpSipTransport, TcpSipTransport)> BindAsync(BridgeOptions o)
    {
        var address = IPAddress.Parse(o.SipAddress);
        for (var attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(new IPEndPoint(address, o.SipPort), loggers.CreateLogger<UdpSipTransport>(), new FloodGuard(o.FloodLimit));
            try
            {
                var stream = new TcpSipTransport(new IPEndPoint(address, udp.LocalEndPoint.Port), loggers.CreateLogger<TcpSipTransport>(), new FloodGuard(o.FloodLimit));
                return (udp, stream);
            }
            catch (System.Net.Sockets.SocketException) when (o.SipPort == 0 && attempt < 10)
            {
                await udp.DisposeAsync();
            }
            catch
            {
                await udp.DisposeAsync();
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A bridge timer step failed; it carries on")]
    private partial void LogTimerFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP and TCP {EndPoint} for domain {Domain}")]
    private partial void LogListening(IPEndPoint endPoint, string domain);
}
