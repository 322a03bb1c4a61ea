namespace MediaBridge.Conference;

/// <summary>One leg's figures over the last reporting interval.</summary>
public sealed record LegMeasure(
    string VenueId,
    string? AudioCodec,
    string? VideoCodec,
    long PacketsIn,
    long PacketsOut,
    long PacketsLost,
    double JitterMs,
    double KbpsIn,
    double KbpsOut,
    long? RemotePacketsLost,
    double? RemoteJitterMs);
