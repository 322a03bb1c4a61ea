using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MediaBridge.Conference;
using MediaBridge.Dtls;
using MediaBridge.Legs;
using MediaBridge.Legs.Browsers;
using MediaBridge.Legs.Calls;
using MediaBridge.Legs.Feeds;
using MediaBridge.Legs.Uplinks;
using MediaBridge.Legs.Recorders;
using MediaBridge.Legs.Watchers;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// Runs the bridge: SIP over UDP and TCP, transactions, the venue registrar, the calls and the
/// media engine, with credentials from the topology, registrations reported to the venue grains
/// and kept in the registrations grain, plans taken from the session grains and leg events
/// reported back to them and to the venues. Every half keep-alive period a round pings each
/// registered terminal (an answer is due within the half period), repeats the bridge's live facts
/// to the venues, and takes up the bindings of bridges that are gone.
/// </summary>
public sealed partial class SipBridgeService(
    IOptions<BridgeOptions> options,
    VenueCredentials venues,
    GrainPresenceSink presence,
    GrainLegEvents legEvents,
    GrainFeedReports feedReports,
    GrainUplinks uplinkReports,
    IOptions<UplinkOptions> uplinkOptions,
    GrainRecordingReports recordingReports,
    RecorderOptions recorderOptions,
    GrainBindingStore store,
    BridgeAgent agent,
    MediaMeters meters,
    IGrainFactory grains,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan BindingsEvery = TimeSpan.FromSeconds(2);

    private readonly ILogger logger = loggers.CreateLogger<SipBridgeService>();
    private UdpSipTransport? transport;
    private TcpSipTransport? tcp;
    private (UdpSipTransport Udp, TcpSipTransport Tcp)? bound;
    private WatchLegs? watchers;

    public IPEndPoint? SipEndPoint => transport?.LocalEndPoint;

    public SipRegistrar? Registrar { get; private set; }

    /// <summary>Browsers watching a camera or a venue on this bridge now.</summary>
    public int Watches => watchers?.ActiveLegs ?? 0;

    /// <summary>Binds the SIP port before the host has started, so a port in use stops start-up naming the setting to change.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        bound = await BindAsync(options.Value);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var (udp, stream) = bound ?? await BindAsync(o);
        if (!await LoadVenuesAsync(stoppingToken))
        {
            await stream.DisposeAsync();
            await udp.DisposeAsync();
            return;
        }

        var nonces = new NonceIssuer(RandomNumberGenerator.GetBytes(32), time, TimeSpan.FromMinutes(5));
        var digest = new DigestAuthenticator(venues.Domain, nonces, venues.PasswordOf, venues.AlgorithmsOf);
        (transport, tcp) = (udp, stream);
        var bridgeId = string.IsNullOrWhiteSpace(o.BridgeId) ? $"{Environment.MachineName}:{transport.LocalEndPoint.Port}" : o.BridgeId;
        var lease = TimeSpan.FromSeconds(2 * o.KeepAliveSeconds);
        (presence.BridgeId, presence.Lease, legEvents.BridgeId, legEvents.Lease, store.BridgeId, feedReports.BridgeId) = (bridgeId, lease, bridgeId, lease, bridgeId, bridgeId);
        uplinkReports.BridgeId = bridgeId;
        recordingReports.BridgeId = bridgeId;
        Registrar = new SipRegistrar(digest, time, presence, store);
        legEvents.Registrar = Registrar;
        var core = new SipCore(Registrar);
        var senders = new SipTransports(transport, tcp);
        var transactions = new SipTransactionLayer(senders, core, time);
        core.Transactions = transactions;
        var mediaAddress = IPAddress.Parse(string.IsNullOrWhiteSpace(o.MediaAddress) ? o.SipAddress : o.MediaAddress);
        using var media = new MediaEngine(new MediaPorts(mediaAddress, o.RtpPortMin, o.RtpPortMax, loggers.CreateLogger<MediaBridge.Rtp.RtpSocket>()), loggers.CreateLogger<MediaEngine>()) { Speakers = o.Speakers };
        var plans = new ConferencePlans();
        var book = new CallBook(transactions, senders, media, venues, legEvents, plans, time, transport.LocalEndPoint, o.PublicAddress);
        (transport.Guard.Peers, tcp.Guard.Peers) = (new SipPeerUnion(Registrar, book), new SipPeerUnion(Registrar, book));
        var outbound = new OutboundCalls(book);
        var inbound = new InboundCalls(book, digest);
        core.Calls = new CallSignalling(inbound, outbound);
        var registrations = new SipRegistrations();
        core.Registrations = registrations;
        var uplinks = new UplinkLegs(registrations, transactions, time, uplinkOptions.Value.Timings, book.SentBy, uplinkReports) { Tcp = stream };
        var certificate = DtlsCertificate.Create();
        var candidates = CandidateAddresses(o, mediaAddress);
        using var browsers = new BrowserLegs(plans, media, certificate, legEvents, candidates);
        var feedOptions = new FeedOptions
        {
            LetGo = TimeSpan.FromSeconds(o.FeedLetGoSeconds),
            ReportEvery = TimeSpan.FromSeconds(o.FeedReportSeconds),
            Silence = TimeSpan.FromSeconds(o.FeedSilenceSeconds),
        };
        using var transcodes = new CameraTranscodes(media, feedOptions, time, loggers.CreateLogger<CameraTranscodes>());
        media.Variants = transcodes;
        using var feeds = new FeedLegs(media, feedReports, feedOptions, time, (feed, camera) => new FeedIngest(feed, camera, feedOptions, time, loggers.CreateLogger<FeedIngest>()));

        using var watches = new WatchLegs(plans, media, feeds, certificate, candidates, loggers.CreateLogger<WatchLegs>());
        using var recorders = new RecorderLegs(media, recordingReports, recorderOptions, time, loggers.CreateLogger<RecorderLegs>());

        // Cameras come first: attaching one fixes the session's video to H.264 before any call is offered
        // (a session a VP8-only leg fixed before is given the cameras transcoded to VP8).
        // The call from above on an uplink is answered before the relay session's venues are called, so they are
        // offered the codec it settled. Uplink calls, watchers and recorders hold no venue and only add members of their own.
        var relays = new UplinkCalls(uplinks, book, inbound, uplinkReports, legEvents, loggers.CreateLogger<UplinkCalls>())
        {
            RosterEvery = TimeSpan.FromSeconds(uplinkOptions.Value.RosterSeconds),
        };
        legEvents.NotVenue = uplinks.Holds;
        var legs = new LegPlanner(plans, media, legEvents, feeds, browsers, relays, new SipLegs(book, outbound, Registrar), watches, recorders);
        watches.Reroute = legs.Reroute;
        watches.Ended += agent.WatchEnded;
        watchers = watches;
        meters.Attach(media, Registrar, () => legs.ActiveLegs);
        meters.AttachKinds(() => feeds.Ingested, () => watches.ActiveLegs, () => recorders.ActiveLegs);
        agent.Legs = legs;
        agent.Browsers = browsers;
        agent.Watchers = watches;
        transport.Start(transactions, TimeSpan.FromSeconds(1));
        tcp.Start(transactions);
        LogListening(transport.LocalEndPoint, venues.Domain);
        var reporting = legEvents.RunAsync(stoppingToken);
        var reportingFeeds = feedReports.RunAsync(stoppingToken);
        var reportingRecordings = recordingReports.RunAsync(stoppingToken);
        var presenting = presence.RunAsync(stoppingToken);
        var storing = store.RunAsync(stoppingToken);
        var announcing = agent.RunAsync(bridgeId, transport.LocalEndPoint.ToString(), o.Capacity, () => (legs.Sessions, legs.ActiveLegs), stoppingToken);
        var keepingAlive = RunKeepAliveAsync(o, bridgeId, book, legs, transactions, stoppingToken);
        var uplinking = uplinkReports.RunAsync(uplinks, stoppingToken);
        try
        {
            await RunTimersAsync(inbound, legs, uplinks, relays, stoppingToken);
        }
        finally
        {
            await Task.WhenAll(reporting, reportingFeeds, reportingRecordings, presenting, storing, announcing, keepingAlive, uplinking);
            watchers = null;
            await UnregisterUplinksAsync(uplinks);
            await tcp.DisposeAsync();
            await transport.DisposeAsync();
        }
    }

    /// <summary>
    /// Reads the venues' credentials, waiting for the cluster while it settles (after a cold restart its
    /// directory may sit on a silo that is gone until that silo is declared dead); false when stopped first.
    /// </summary>
    private async Task<bool> LoadVenuesAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await venues.RefreshAsync();
                return true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogVenuesUnavailable(e, attempt);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>2xx resends and held-back cascade rosters every 100 ms, leg planning every second, registration expiry every few seconds.</summary>
    private async Task RunTimersAsync(InboundCalls inbound, LegPlanner legs, UplinkLegs uplinks, UplinkCalls relays, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var nextPlan = time.GetUtcNow();
        var nextExpiry = time.GetUtcNow().AddSeconds(5);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var now = time.GetUtcNow();
                    inbound.Tick();
                    uplinks.Tick();
                    relays.SendRosters();
                    if (now >= nextPlan)
                    {
                        legs.Tick();
                        nextPlan = now.AddSeconds(1);
                    }

                    if (now >= nextExpiry)
                    {
                        Registrar!.Expire();
                        nextExpiry = now.AddSeconds(5);
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

    /// <summary>On shutdown the registrars above are told this deployment leaves (Expires: 0), waiting a little for their answers.</summary>
    private async Task UnregisterUplinksAsync(UplinkLegs uplinks)
    {
        uplinks.StopAll();
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(2);
        while (uplinks.Leaving && time.GetUtcNow() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
            uplinks.Tick();
        }
    }

    /// <summary>
    /// Bindings are taken from the store every <see cref="BindingsEvery"/> (this bridge's own on the first
    /// read that reaches it, those of bridges no longer live, which this bridge adopts, and the other live
    /// bridges' noted so calls can reach those terminals): a session moved here from a lost bridge finds its
    /// terminals within seconds, not a keep-alive round later. Each keep-alive round, the first at once, sends
    /// an OPTIONS to every binding bounded by the round and repeats the connected legs to their venues.
    /// </summary>
    private async Task RunKeepAliveAsync(BridgeOptions o, string bridgeId, CallBook book, LegPlanner legs, SipTransactionLayer transactions, CancellationToken stoppingToken)
    {
        var round = TimeSpan.FromSeconds(o.KeepAliveSeconds / 2.0);
        var step = round < BindingsEvery ? round : BindingsEvery;
        var nextPing = time.GetUtcNow();
        var restored = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    restored = await TakeUpBindingsAsync(bridgeId, restored);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogBindingsUnreachable(e);
                }

                if (time.GetUtcNow() >= nextPing)
                {
                    nextPing = time.GetUtcNow() + round;
                    try
                    {
                        Registrar!.Ping(transactions, book.SentBy, venues.Domain, round);
                        legEvents.Reassert(legs.Connected());
                    }
                    catch (Exception e)
                    {
                        LogTimerFailed(e);
                    }
                }

                await Task.Delay(step, time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Returns whether this bridge's own bindings have been restored (now or before).</summary>
    private async Task<bool> TakeUpBindingsAsync(string bridgeId, bool restored)
    {
        var stored = await store.LoadAsync();
        var live = (await grains.GetGrain<Command.Contracts.Media.IBridgeRegistryGrain>(Command.Contracts.Media.IBridgeRegistryGrain.DefaultKey).GetBridgesAsync())
            .Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        if (!restored)
        {
            var own = Registrar!.Restore(stored.Where(b => b.TakenBy == bridgeId), adopt: false);
            LogRestored(own);
        }

        var orphans = stored.Where(b => b.TakenBy != bridgeId && !live.Contains(b.TakenBy ?? "")).ToList();
        if (orphans.Count > 0)
        {
            LogAdopted(Registrar!.Restore(orphans, adopt: true), string.Join(", ", orphans.Select(b => b.TakenBy).Distinct()));
        }

        Registrar!.SetForeign([.. stored.Where(b => b.TakenBy != bridgeId && live.Contains(b.TakenBy ?? ""))]);
        return true;
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
            UdpSipTransport udp;
            try
            {
                udp = new UdpSipTransport(new IPEndPoint(address, o.SipPort), loggers.CreateLogger<UdpSipTransport>(), new FloodGuard(o.FloodLimit));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw PortInUse(o, "UDP", e);
            }

            try
            {
                var stream = new TcpSipTransport(new IPEndPoint(address, udp.LocalEndPoint.Port), loggers.CreateLogger<TcpSipTransport>(), new FloodGuard(o.FloodLimit));
                return (udp, stream);
            }
            catch (SocketException) when (o.SipPort == 0 && attempt < 10)
            {
                // The free UDP port's TCP twin was taken: pick another pair.
                await udp.DisposeAsync();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                await udp.DisposeAsync();
                throw PortInUse(o, "TCP", e);
            }
            catch
            {
                await udp.DisposeAsync();
                throw;
            }
        }
    }

    private static PortInUseException PortInUse(BridgeOptions o, string transport, SocketException e) =>
        new($"the SIP port {o.SipAddress}:{o.SipPort} ({transport}) cannot be bound ({e.SocketErrorCode})", BridgeOptions.Section + ":SipPort", e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restored {Count} registration bindings this bridge took before it restarted")]
    private partial void LogRestored(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted {Count} registration bindings of bridges no longer live: {Bridges}")]
    private partial void LogAdopted(int count, string bridges);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored registration bindings could not be read; trying again next round")]
    private partial void LogBindingsUnreachable(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The venues' credentials could not be read from the cluster (attempt {Attempt}); trying again")]
    private partial void LogVenuesUnavailable(Exception e, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "A bridge timer step failed; it carries on")]
    private partial void LogTimerFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP and TCP {EndPoint} for domain {Domain}")]
    private partial void LogListening(IPEndPoint endPoint, string domain);
}
