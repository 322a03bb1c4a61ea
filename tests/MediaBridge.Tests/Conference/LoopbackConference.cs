using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Legs;
using MediaBridge.Legs.Calls;
using MediaBridge.Legs.Feeds;
using MediaBridge.Legs.Recorders;
using Command.Contracts.Recordings;
using Command.Contracts.Feeds;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using MediaBridge.Tests.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// The whole bridge on loopback as the node assembles it (SIP, registrar, calls, media engine), with
/// venues v1, v2 and v3 whose terminals are users 2101, 2102 and 2103, and every leg event recorded.
/// </summary>
public sealed class LoopbackConference : IAsyncDisposable, IVenueDirectory, ILegEvents, IFeedReports, IRecordingReports
{
    private readonly UdpSipTransport udp;
    private readonly SipTransactionLayer layer;
    private readonly CallBook book;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task ticking;

    private LoopbackConference(IPAddress sipAddress, FeedOptions? feedOptions, RecorderOptions? recorderOptions, Func<string, long>? freeSpace)
    {
        var digest = new DigestAuthenticator(Domain, new NonceIssuer(RandomNumberGenerator.GetBytes(32), TimeProvider.System, TimeSpan.FromMinutes(5)), PasswordOf);
        Registrar = new SipRegistrar(digest, TimeProvider.System, new PresenceRecorder());
        var core = new SipCore(Registrar);
        udp = new UdpSipTransport(new IPEndPoint(sipAddress, 0), NullLogger.Instance);
        var senders = new SipTransports(udp, null);
        layer = new SipTransactionLayer(senders, core, TimeProvider.System);
        core.Transactions = layer;
        var first = 30000 + (Random.Shared.Next(0, 1000) * 20);
        Media = new MediaEngine(new MediaPorts(IPAddress.Loopback, first, first + 400), NullLogger<MediaEngine>.Instance) { ReportEvery = TimeSpan.FromSeconds(1), SilenceLimit = TimeSpan.FromSeconds(3) };
        var plans = new ConferencePlans();
        book = new CallBook(layer, senders, Media, this, this, plans, TimeProvider.System, udp.LocalEndPoint, null);
        var outbound = new OutboundCalls(book);
        var inbound = new InboundCalls(book, digest);
        core.Calls = new CallSignalling(inbound, outbound);
        var kinds = new List<ILegKind>();
        if (feedOptions is not null)
        {
            Feeds = new FeedLegs(Media, this, feedOptions, TimeProvider.System, (feed, camera) => new FeedIngest(feed, camera, feedOptions, TimeProvider.System, NullLogger.Instance));
            Transcodes = new CameraTranscodes(Media, feedOptions, TimeProvider.System, NullLogger<CameraTranscodes>.Instance);
            Media.Variants = Transcodes;
            kinds.Add(Feeds);
        }

        kinds.Add(new SipLegs(book, outbound, Registrar));
        if (recorderOptions is not null)
        {
            Recorders = new RecorderLegs(Media, this, recorderOptions, TimeProvider.System, NullLogger<RecorderLegs>.Instance, freeSpace);
            kinds.Add(Recorders);
        }

        Planner = new LegPlanner(plans, Media, this, [.. kinds]);

        udp.Start(layer, TimeSpan.FromMilliseconds(5));
        ticking = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (await timer.WaitForNextTickAsync(stopping.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default))
            {
                inbound.Tick();
                Planner.Tick();
            }
        });
    }

    public const string Domain = "127.0.0.1";

    public EndPoint SipEndPoint => udp.LocalEndPoint;

    public SipRegistrar Registrar { get; }

    public MediaEngine Media { get; }

    public LegPlanner Planner { get; }

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>The camera feed legs, when started with feeds.</summary>
    public FeedLegs? Feeds { get; }

    /// <summary>The cameras' transcodes for sessions of another codec, when started with feeds.</summary>
    public CameraTranscodes? Transcodes { get; }

    public ConcurrentQueue<(DateTime At, string FeedId, FeedMediaReport Report)> FeedReports { get; } = new();

    public ConcurrentQueue<(string Session, LegMeasure Measure, LegState State)> Measures { get; } = new();

    public ConcurrentQueue<string> LostTerminals { get; } = new();

    string IVenueDirectory.Domain => Domain;

    /// <summary>The SIP port on loopback, or on <paramref name="sipAddress"/> (0.0.0.0 binds every interface, as a node does by default).</summary>
    public static LoopbackConference Start(IPAddress? sipAddress = null, FeedOptions? feeds = null) => new(sipAddress ?? IPAddress.Loopback, feeds, null, null);

    /// <summary>With cameras and recorders, the disk's free space as <paramref name="freeSpace"/> says (the real disk's when null).</summary>
    public static LoopbackConference StartRecording(FeedOptions feeds, RecorderOptions recorder, Func<string, long>? freeSpace = null) =>
        new(IPAddress.Loopback, feeds, recorder, freeSpace);

    /// <summary>The recorder legs, when started with them.</summary>
    public RecorderLegs? Recorders { get; }

    public ConcurrentQueue<(string RecordingId, RecordingReport Report)> RecordingReports { get; } = new();

    public ConcurrentQueue<string?> DiskAlarms { get; } = new();

    public void Report(string recordingId, RecordingReport report) => RecordingReports.Enqueue((recordingId, report));

    public void DiskAlarm(string? alarm) => DiskAlarms.Enqueue(alarm);

    public void Report(string feedId, FeedMediaReport report) => FeedReports.Enqueue((DateTime.UtcNow, feedId, report));

    /// <summary>The port terminals reach SIP at on loopback.</summary>
    public IPEndPoint LoopbackSipEndPoint => new(IPAddress.Loopback, udp.LocalEndPoint.Port);

    /// <summary>One keep-alive round as the node runs it, with the call layer's address choice in Via.</summary>
    public void KeepAlive(TimeSpan timeout) => Registrar.Ping(layer, book.SentBy, Domain, timeout);

    public static string PasswordFor(string user) => $"pw-{user}";

    public ScriptedPhone Phone(int venue, double toneHz = 0) =>
        new($"210{venue}", PasswordFor($"210{venue}"), (byte)venue, SipEndPoint, Domain, toneHz);

    public string? SipUserOf(string venueId) => venueId is ['v', var n] ? $"210{n}" : null;

    public string? VenueOf(string sipUser) => sipUser is ['2', '1', '0', var n] ? $"v{n}" : null;

    public void Changed(string sessionId, string venueId, LegState state, string? reason) =>
        Events.Enqueue($"{sessionId} {venueId} {state.ToString().ToLowerInvariant()}{(reason is null ? "" : $" ({reason})")}");

    public void Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states)
    {
        foreach (var leg in legs)
        {
            Measures.Enqueue((sessionId, leg, states.GetValueOrDefault(leg.VenueId)));
        }
    }

    public void TerminalLost(string venueId) => LostTerminals.Enqueue(venueId);

    /// <summary>A live plan: every venue listed, each seeing the source given (or nobody), none muted unless named.</summary>
    public static ConferencePlan Plan(string session, long version, IReadOnlyDictionary<string, string?> views, params string[] muted) =>
        new(session, true, [.. views.Select(v => new PlanLeg(v.Key, muted.Contains(v.Key), v.Value))], version);

    public async Task WaitForAsync(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; leg events: {string.Join("; ", Events)}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await ticking;
        Feeds?.Dispose();
        Transcodes?.Dispose();
        Recorders?.Dispose();
        Media.Dispose();
        await udp.DisposeAsync();
        stopping.Dispose();
    }

    private static string? PasswordOf(string user) => user is ['2', '1', '0', >= '1' and <= '3'] ? PasswordFor(user) : null;
}
