using System.Net;
using System.Security.Cryptography;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// Runs the bridge's SIP side: the UDP transport, transactions and the venue registrar, with
/// credentials from the topology and registrations reported to the venue grains.
/// </summary>
public sealed partial class SipBridgeService(
    IOptions<BridgeOptions> options,
    VenueCredentials venues,
    GrainPresenceSink presence,
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
        var nonces = new NonceIssuer(RandomNumberGenerator.GetBytes(32), time, TimeSpan.FromMinutes(5));
        var digest = new DigestAuthenticator(venues.Domain, nonces, venues.PasswordOf, venues.AlgorithmsOf);
        Registrar = new SipRegistrar(digest, time, presence);
        var core = new SipCore(Registrar);
        var o = options.Value;
        (transport, tcp) = await BindAsync(o);
        var transactions = new SipTransactionLayer(new SipTransports(transport, tcp), core, time);
        core.Transactions = transactions;
        transport.Start(transactions, TimeSpan.FromMilliseconds(20));
        tcp.Start(transactions);
        LogListening(transport.LocalEndPoint, venues.Domain);
        try
        {
            using var expiry = new PeriodicTimer(TimeSpan.FromSeconds(5));
            var nextPing = time.GetUtcNow().AddSeconds(o.KeepAliveSeconds);
            while (await expiry.WaitForNextTickAsync(stoppingToken))
            {
                Registrar.Expire();
                if (time.GetUtcNow() >= nextPing)
                {
                    Registrar.Ping(transactions, transport.LocalEndPoint, venues.Domain);
                    nextPing = time.GetUtcNow().AddSeconds(o.KeepAliveSeconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await tcp.DisposeAsync();
            await transport.DisposeAsync();
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP and TCP {EndPoint} for domain {Domain}")]
    private partial void LogListening(IPEndPoint endPoint, string domain);
}
