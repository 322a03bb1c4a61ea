namespace Command.Contracts.Recordings;

/// <summary>
/// One recording, keyed by recording id: started and stopped by its session, given the session's floor
/// changes as chapters, and told by the bridge how its parts grow and when the disk floor stops it.
/// </summary>
public interface IRecordingGrain : IGrainWithStringKey
{
    /// <summary>Creates the recording; a second call changes nothing.</summary>
    Task<RecordingInfo> StartAsync(RecordingStart start);

    /// <summary>A floor change while recording; ignored once the recording has ended.</summary>
    Task AddChapterAsync(RecordingChapter chapter);

    /// <summary>Ends the recording (session ended, or recording turned off); a second call changes nothing.</summary>
    Task<RecordingInfo?> StopAsync(DateTimeOffset at, string reason, string actor);

    /// <summary>A bridge's report on the recording's parts or the disk floor.</summary>
    Task ReportAsync(RecordingReport report);

    /// <summary>The recording, or null when none has this id or it expired.</summary>
    [AlwaysInterleave]
    Task<RecordingInfo?> GetAsync();

    /// <summary>
    /// The recording as <see cref="GetAsync"/> has it but without its chapters (<see cref="RecordingInfo.ChapterCount"/> says how many),
    /// for callers that need only its status and times, such as the media files players fetch every few seconds.
    /// </summary>
    [AlwaysInterleave]
    Task<RecordingInfo?> GetSummaryAsync();

    /// <summary>
    /// Expires an ended recording kept for <paramref name="kept"/>: from then on it is not found, and every holder of its
    /// folder deletes it. True once expired (or when there is no such recording); false while it still runs.
    /// </summary>
    Task<bool> ExpireAsync(DateTimeOffset at, TimeSpan kept);

    /// <summary>Whether the recording expired, so its files are to be deleted. Interleaved: it only reads.</summary>
    [AlwaysInterleave]
    Task<bool> IsExpiredAsync();
}
