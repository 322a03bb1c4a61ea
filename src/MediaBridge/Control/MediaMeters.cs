using System.Diagnostics.Metrics;
using MediaBridge.Conference;
using MediaBridge.Sip.Registrar;
using MediaBridge.WebRtc;

namespace MediaBridge.Control;

/// <summary>
/// The bridge's figures as OpenTelemetry instruments. Every instrument is observable: nothing is recorded
/// on the packet path. Counters and gauges are read at scrape time from what the bridge already keeps, and
/// the per-leg figures from the media engine's 5-second report (the same one that feeds the sessions' leg
/// statistics).
/// </summary>
public sealed class MediaMeters
{
    public const string MeterName = "Command.Media";

    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(16);
    private readonly Lock gate = new();
    private readonly Dictionary<(string SessionId, string VenueId), LegFigures> legs = [];
    private readonly TimeProvider time;
    private long packetsIn;
    private long packetsOut;
    private long packetsLost;
    private MediaEngine? engine;
    private SipRegistrar? registrar;
    private Func<int>? calls;
    private Func<int>? cameras;
    private Func<int>? watches;
    private Func<int>? recordings;

    public MediaMeters(IMeterFactory meters, TimeProvider time)
    {
        this.time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("command.media.sessions", () => engine?.ConferenceCount ?? 0, "{session}", "Sessions with media on this bridge");
        meter.CreateObservableGauge("command.media.legs", () => engine?.LegCount ?? 0, "{leg}", "Media legs (SIP and browser) on this bridge");
        meter.CreateObservableGauge("command.sip.registrations", () => registrar?.AllBindings().Count ?? 0, "{binding}", "SIP registration bindings this bridge holds or reaches");
        meter.CreateObservableGauge("command.sip.calls", () => calls?.Invoke() ?? 0, "{call}", "SIP calls this bridge has placed or taken that are up");
        meter.CreateObservableCounter("command.media.packets", ObservePackets, "{packet}", "RTP packets received from and sent to legs");
        meter.CreateObservableCounter("command.media.packets.lost", () => Interlocked.Read(ref packetsLost), "{packet}", "RTP packets the legs' senders sent that never arrived");
        meter.CreateObservableGauge("command.media.jitter", () => PerLeg(l => l.JitterMs), "ms", "Interarrival jitter of each leg's incoming media");
        meter.CreateObservableGauge("command.media.bitrate", ObserveBitrates, "kbit/s", "Each leg's bit rate over the last report, by direction");
        meter.CreateObservableCounter("command.srtp.failures", () => WebRtcTransport.RejectedTotal, "{packet}", "SRTP and SRTCP packets refused (authentication or replay)");
        meter.CreateObservableGauge("command.feeds.ingested", () => cameras?.Invoke() ?? 0, "{camera}", "Cameras this bridge pulls or listens for, used or waiting to be let go");
        meter.CreateObservableGauge("command.media.watches", () => watches?.Invoke() ?? 0, "{watch}", "Browsers watching a camera or a venue without joining a session (WHEP)");
        meter.CreateObservableGauge("command.recordings.active", () => recordings?.Invoke() ?? 0, "{recording}", "Sessions this bridge is recording now");
    }

    /// <summary>Points the instruments at the running bridge; called once its parts exist.</summary>
    public void Attach(MediaEngine media, SipRegistrar sip, Func<int> connectedCalls)
    {
        (engine, registrar, calls) = (media, sip, connectedCalls);
        media.Measured += OnMeasured;
    }

    /// <summary>Points the camera, watch and recording instruments at the bridge's leg kinds.</summary>
    public void AttachKinds(Func<int> ingestedCameras, Func<int> activeWatches, Func<int> activeRecordings) =>
        (cameras, watches, recordings) = (ingestedCameras, activeWatches, activeRecordings);

    private void OnMeasured(string sessionId, IReadOnlyList<LegMeasure> measures)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            foreach (var m in measures)
            {
                var key = (sessionId, m.VenueId);
                var previous = legs.GetValueOrDefault(key);

                // A leg's counts start again when it is re-created; then its whole count is new.
                Interlocked.Add(ref packetsIn, m.PacketsIn >= previous.PacketsIn ? m.PacketsIn - previous.PacketsIn : m.PacketsIn);
                Interlocked.Add(ref packetsOut, m.PacketsOut >= previous.PacketsOut ? m.PacketsOut - previous.PacketsOut : m.PacketsOut);
                Interlocked.Add(ref packetsLost, m.PacketsLost >= previous.PacketsLost ? m.PacketsLost - previous.PacketsLost : Math.Max(0, m.PacketsLost));
                legs[key] = new LegFigures(m.PacketsIn, m.PacketsOut, Math.Max(0, m.PacketsLost), m.JitterMs, m.KbpsIn, m.KbpsOut, now);
            }
        }
    }

    private Measurement<long>[] ObservePackets() =>
    [
        new(Interlocked.Read(ref packetsIn), new KeyValuePair<string, object?>("direction", "in")),
        new(Interlocked.Read(ref packetsOut), new KeyValuePair<string, object?>("direction", "out")),
    ];

    private List<Measurement<double>> ObserveBitrates()
    {
        var incoming = PerLeg(l => l.KbpsIn, "in");
        incoming.AddRange(PerLeg(l => l.KbpsOut, "out"));
        return incoming;
    }

    private List<Measurement<double>> PerLeg(Func<LegFigures, double> figure, string? direction = null)
    {
        var cutoff = time.GetUtcNow() - Stale;
        var result = new List<Measurement<double>>();
        lock (gate)
        {
            foreach (var ((sessionId, venueId), leg) in legs.Where(l => l.Value.At < cutoff).ToList())
            {
                legs.Remove((sessionId, venueId));
            }

            foreach (var ((sessionId, venueId), leg) in legs)
            {
                result.Add(direction is null
                    ? new(figure(leg), new("session", sessionId), new("venue", venueId))
                    : new(figure(leg), new("session", sessionId), new("venue", venueId), new("direction", direction)));
            }
        }

        return result;
    }

    private readonly record struct LegFigures(long PacketsIn, long PacketsOut, long PacketsLost, double JitterMs, double KbpsIn, double KbpsOut, DateTimeOffset At);
}
