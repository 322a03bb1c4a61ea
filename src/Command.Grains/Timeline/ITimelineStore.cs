using Command.Contracts.Timeline;

namespace Command.Grains.Timeline;

/// <summary>
/// Append-only timelines of sessions and incidents, kept outside grain state so a long-running
/// session's writes stay small: recording an action costs one append, however long the history.
/// </summary>
public interface ITimelineStore
{
    Task AppendAsync(string source, IReadOnlyList<TimelineEntry> entries);

    Task<IReadOnlyList<TimelineEntry>> ReadAsync(string source);
}
