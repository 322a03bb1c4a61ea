using System.Collections.Immutable;

namespace Command.Contracts.Recordings;

/// <summary>
/// The cluster's one list of recordings and when each ended, keyed <see cref="DefaultKey"/>: every recording
/// reports itself here when it starts and ends, and on each sweep those ended longer ago than the retention
/// period are expired. The sweep runs by itself every <see cref="RecordingOptions.RetentionCheckSeconds"/>.
/// </summary>
public interface IRecordingRetentionGrain : IGrainWithStringKey
{
    const string DefaultKey = "recordings";

    /// <summary>
    /// A recording and its end (null while it runs). Interleaved, so a recording reporting here never waits for a
    /// sweep that may itself be waiting on that recording.
    /// </summary>
    [AlwaysInterleave]
    Task TrackAsync(string recordingId, DateTimeOffset? endedAt);

    /// <summary>Expires every recording that ended more than the retention period before <paramref name="at"/>; the ids expired.</summary>
    Task<ImmutableArray<string>> SweepAsync(DateTimeOffset at);

    /// <summary>The retention period the cluster keeps recordings for, which the holders of recording folders go by. Interleaved: it only reads, and a sweep may be long.</summary>
    [AlwaysInterleave]
    Task<TimeSpan> GetRetentionAsync();
}
