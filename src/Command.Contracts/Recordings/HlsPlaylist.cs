using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Command.Contracts.Recordings;

/// <summary>
/// The HLS media playlists of a recording (RFC 8216): each part's playlist as ffmpeg writes it, and the one
/// playlist that plays every part in turn, a discontinuity between parts (each starts its own timestamps).
/// Only segment names ffmpeg is told to write are taken, so a playlist can never point outside its part.
/// </summary>
public static partial class HlsPlaylist
{
    /// <summary>The segments of one part's playlist, with their lengths in seconds.</summary>
    public static IReadOnlyList<(double Seconds, string Uri)> Segments(string text)
    {
        var segments = new List<(double, string)>();
        double? pending = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..].Split(',')[0];
                pending = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? seconds : null;
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                if (pending is { } seconds && SegmentName().IsMatch(line))
                {
                    segments.Add((seconds, line));
                }

                pending = null;
            }
        }

        return segments;
    }

    /// <summary>The media one part's playlist holds, in seconds.</summary>
    public static double Duration(string text) => Segments(text).Sum(s => s.Seconds);

    /// <summary>
    /// One playlist of all parts in order, each segment named under its part's folder. Without
    /// <paramref name="ended"/> it is an event playlist a player keeps reloading; ended, it is closed.
    /// </summary>
    public static string Combine(IEnumerable<(string Part, string Text)> parts, bool ended)
    {
        var body = new StringBuilder();
        var longest = 0.0;
        var first = true;
        foreach (var (part, text) in parts)
        {
            var segments = Segments(text);
            if (segments.Count == 0)
            {
                continue;
            }

            if (!first)
            {
                body.Append("#EXT-X-DISCONTINUITY\n");
            }

            first = false;
            foreach (var (seconds, uri) in segments)
            {
                longest = Math.Max(longest, seconds);
                body.Append(CultureInfo.InvariantCulture, $"#EXTINF:{seconds:0.000###},\n{part}/{uri}\n");
            }
        }

        var head = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{TargetDuration(longest)}\n")
            .Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        return head.Append(body).Append(ended ? "#EXT-X-ENDLIST\n" : "").ToString();
    }

    /// <summary>
    /// The target duration for a longest segment: rounded to the nearest second, as RFC 8216 §4.3.3.1 allows,
    /// not up. Players hold a live stream back by a few target durations, so 2.002 s segments taken as 3 s
    /// would put a viewer of a 2 s stream three seconds further behind.
    /// </summary>
    public static int TargetDuration(double longestSeconds) => Math.Max(1, (int)Math.Round(longestSeconds, MidpointRounding.AwayFromZero));

    /// <summary>Whether a name is one of a recording's part folders.</summary>
    public static bool IsPart(string name) => PartName().IsMatch(name);

    /// <summary>Whether a name is one of a part's segment files.</summary>
    public static bool IsSegment(string name) => SegmentName().IsMatch(name);

    /// <summary>Whether a name can be a recording's folder (ids are short and plain).</summary>
    public static bool IsRecordingId(string name) => RecordingName().IsMatch(name);

    /// <summary>A part folder's number, for ordering; -1 when it is not one.</summary>
    public static int PartNumber(string name) =>
        IsPart(name) && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    [GeneratedRegex(@"^seg-[0-9]{1,9}\.ts$")]
    private static partial Regex SegmentName();

    [GeneratedRegex(@"^part-[0-9]{1,6}$")]
    private static partial Regex PartName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex RecordingName();
}
