namespace MediaBridge.Conference;

/// <summary>A room's periodic figures: each leg's counters, and its rates since the last report.</summary>
internal sealed class RoomMeasures
{
    private readonly Dictionary<uint, (long Packets, long Bytes, long Out)> last = [];
    private long lastTicks = Rtp.MediaClock.NowTicks;

    /// <summary>Sends each leg a report per stream and returns what was measured since the last call.</summary>
    public List<LegMeasure> Take(List<ConferenceLeg> legs, DateTimeOffset now, long nowTicks)
    {
        var measures = new List<LegMeasure>(legs.Count);
        var seconds = Math.Max(0.001, (nowTicks - lastTicks) / (double)TimeSpan.TicksPerSecond);
        lastTicks = nowTicks;
        foreach (var leg in legs)
        {
            LegRtcp.SendReport(leg.Audio, now);
            LegRtcp.SendReport(leg.Video, now);
            var packets = leg.Audio.Reception.Received + leg.Video.Reception.Received;
            var bytes = leg.Audio.Reception.Bytes + leg.Video.Reception.Bytes;
            var sent = leg.Audio.BytesOut + leg.Video.BytesOut;
            var before = last.GetValueOrDefault(leg.Id);
            last[leg.Id] = (packets, bytes, sent);
            measures.Add(new LegMeasure(
                leg.VenueId,
                leg.Audio.Negotiated?.Codec.Name,
                leg.Video.Negotiated?.Codec.Name,
                packets,
                leg.Audio.PacketsOut + leg.Video.PacketsOut,
                Math.Max(0, leg.Audio.Reception.Lost) + Math.Max(0, leg.Video.Reception.Lost),
                Math.Max(leg.Audio.Reception.JitterMilliseconds, leg.Video.Reception.JitterMilliseconds),
                (bytes - before.Bytes) * 8 / 1000.0 / seconds,
                (sent - before.Out) * 8 / 1000.0 / seconds,
                leg.Audio.RemoteLost is null && leg.Video.RemoteLost is null ? null : (leg.Audio.RemoteLost ?? 0) + (leg.Video.RemoteLost ?? 0),
                leg.Audio.RemoteJitter is { } j ? j / 8.0 : null));
        }

        return measures;
    }
}
