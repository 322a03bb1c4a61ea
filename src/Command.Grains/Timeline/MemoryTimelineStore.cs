using System.Collections.Concurrent;
using Command.Contracts.Timeline;

namespace Command.Grains.Timeline;

/// <summary>A timeline store for tests; it keeps nothing across a restart.</summary>
public sealed class MemoryTimelineStore : ITimelineStore
{
    private readonly ConcurrentDictionary<string, List<TimelineEntry>> timelines = new(StringComparer.Ordinal);

    public Task AppendAsync(string source, IReadOnlyList<TimelineEntry> entries)
    {
        var list = timelines.GetOrAdd(source, _ => []);
        lock (list)
        {
            list.AddRange(entries);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TimelineEntry>> ReadAsync(string source)
    {
        if (!timelines.TryGetValue(source, out var list))
        {
            return Task.FromResult<IReadOnlyList<TimelineEntry>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<TimelineEntry>>([.. list]);
        }
    }
}
