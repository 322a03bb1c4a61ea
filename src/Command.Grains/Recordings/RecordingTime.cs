using Command.Contracts.Recordings;

namespace Command.Grains.Recordings;

/// <summary>
/// Where a moment falls in a recording's own time, which is what a player seeks in: the parts play one after
/// another in number order (as the archive's playlist joins them), each lasting what its playlist lists and
/// beginning when its bridge started it. A moment is as far in as the parts before it last, plus how long
/// after its own part's start it came. The wall clock is no measure: recording starts only once a venue is
/// reached and its codec known, and pauses for the disk floor or a restarted bridge. A moment between parts
/// falls where the next part begins, one before any part at the very start, one past the media so far at its end.
/// </summary>
public static class RecordingTime
{
    public static double OffsetOf(DateTimeOffset at, IEnumerable<(string Part, DateTimeOffset StartedAt, double Seconds)> parts)
    {
        var offset = 0.0;
        foreach (var (_, startedAt, seconds) in parts.OrderBy(p => HlsPlaylist.PartNumber(p.Part)))
        {
            var into = (at - startedAt).TotalSeconds;
            if (into < 0)
            {
                return offset;
            }

            if (into <= seconds)
            {
                return offset + into;
            }

            offset += seconds;
        }

        return offset;
    }
}
