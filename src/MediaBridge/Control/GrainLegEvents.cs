using System.Collections.Immutable;
using System.Threading.Channels;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using MediaBridge.Legs;
using MediaBridge.Legs.Uplinks;
using MediaBridge.Conference;
using MediaBridge.Sip.Registrar;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Carries leg events and statistics to the session grains, and leg events to the venue grains too
/// (a connected leg is what makes a venue in-session), one at a time and in order, off the SIP and
/// media threads. Connected legs are repeated every keep-alive round so the venue's fact does not
/// lapse. A terminal whose media stopped has its registration dropped, which turns its venue offline
/// until it registers again. A deployment below's roster, sent up its venue's call, goes to the session in
/// the same queue, so it never overtakes the leg event that ends that call (which clears it).
/// </summary>
public sealed partial class GrainLegEvents(IGrainFactory grains, VenueCredentials venues, TimeProvider time, ILogger<GrainLegEvents> logger) : ILegEvents, IRemoteRosters
{
    private readonly Channel<Func<Task>> queue = Channel.CreateBounded<Func<Task>>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public SipRegistrar? Registrar { get; set; }

    /// <summary>This bridge's name in the cluster, set before calls start.</summary>
    public string BridgeId { get; set; } = "";

    /// <summary>How long a connected leg holds at its venue unless repeated.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    public void Changed(string sessionId, string venueId, LegState state, string? reason)
    {
        using var scope = LegScope(logger, sessionId, venueId, LegId(sessionId, venueId));
        LogLeg(sessionId, venueId, state, reason ?? "");
        var report = new LegReport(sessionId, venueId, state, reason, time.GetUtcNow());
        queue.Writer.TryWrite(() => grains.GetGrain<ISessionGrain>(sessionId).ReportLegAsync(report));
        ReportToVenue(sessionId, venueId, state);
    }

    public void Reported(string sessionId, string venueId, ImmutableArray<RemoteVenue> venues)
    {
        LogRoster(sessionId, venueId, venues.Length);
        queue.Writer.TryWrite(() => grains.GetGrain<ISessionGrain>(sessionId).ReportRemoteRosterAsync(venueId, venues));
    }

    /// <summary>Repeats each connected leg to its venue.</summary>
    public void Reassert(IEnumerable<(string SessionId, string VenueId)> connected)
    {
        foreach (var (sessionId, venueId) in connected)
        {
            ReportToVenue(sessionId, venueId, LegState.Connected);
        }
    }

    public void Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states)
    {
        var now = time.GetUtcNow();
        var stats = legs.Where(l => states.ContainsKey(l.VenueId)).Select(l => new LegStats(
            l.VenueId, states[l.VenueId], l.AudioCodec, l.VideoCodec, l.PacketsIn, l.PacketsOut, l.PacketsLost,
            Math.Round(l.JitterMs, 2), Math.Round(l.KbpsIn, 1), Math.Round(l.KbpsOut, 1), l.RemotePacketsLost,
            l.RemoteJitterMs is { } j ? Math.Round(j, 2) : null, now)).ToImmutableArray();
        if (!stats.IsEmpty)
        {
            queue.Writer.TryWrite(() => grains.GetGrain<ISessionGrain>(sessionId).ReportMediaAsync(stats));
        }
    }

    public void TerminalLost(string venueId)
    {
        if (venues.SipUserOf(venueId) is { } user)
        {
            using var scope = VenueScope(logger, venueId);
            Registrar?.Drop(user, "media stopped");
        }
    }

    /// <summary>Members of a conference that are no venue (a cascade uplink's call), whose legs concern their session only.</summary>
    public Func<string, bool> NotVenue { get; set; } = _ => false;

    private void ReportToVenue(string sessionId, string venueId, LegState state)
    {
        if (NotVenue(venueId))
        {
            return;
        }

        var leg = new VenueLeg(sessionId, BridgeId, state, Lease);
        queue.Writer.TryWrite(() => grains.GetGrain<IVenueGrain>(venueId).ReportLegAsync(leg));
    }

    /// <summary>Delivers queued reports until stopped; a failed delivery is logged and the next one goes on.</summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (var send in queue.Reader.ReadAllAsync(cancel))
            {
                try
                {
                    await send();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDeliveryFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A leg is one venue's media in one session; its id names both, as the API and the dashboard do.</summary>
    private static string LegId(string sessionId, string venueId) => $"{sessionId}/{venueId}";

    // Scopes put the ids on every line logged while a leg is handled, so JSON logs can be filtered by them.
    private static readonly Func<ILogger, string, string, string, IDisposable?> LegScope =
        LoggerMessage.DefineScope<string, string, string>("session {SessionId} venue {VenueId} leg {LegId}");

    private static readonly Func<ILogger, string, IDisposable?> VenueScope = LoggerMessage.DefineScope<string>("venue {VenueId}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} venue {VenueId} leg {State} {Reason}")]
    private partial void LogLeg(string sessionId, string venueId, LegState state, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId} venue {VenueId} reports a roster of {Count} venues below it")]
    private partial void LogRoster(string sessionId, string venueId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A leg report could not reach its session")]
    private partial void LogDeliveryFailed(Exception e);
}
