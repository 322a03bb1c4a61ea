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
        transport = new UdpSipTransport(
            new IPEndPoint(IPAddress.Parse(o.SipAddress), o.SipPort), loggers.CreateLogger<UdpSipTransport>(), new FloodGuard(o.FloodLimit));
        var transactions = new SipTransactionLayer(transport, core, time);
        core.Transactions = transactions;
        transport.Start(transactions, TimeSpan.FromMilliseconds(20));
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
            await transport.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP {EndPoint} for domain {Domain}")]
    private partial void LogListening(IPEndPoint endPoint, string domain);
}
