using Command.Contracts;
using Command.Contracts.Recordings;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Command.Web.Apis;

/// <summary>
/// A recording's HLS files as the bridge wrote them: one playlist combining every part, and its segments.
/// Shared by the signed-in recordings API and the anonymous public broadcasts; each checks access first.
/// </summary>
public static class RecordingFiles
{
    public const string PlaylistType = "application/vnd.apple.mpegurl";
    public const string SegmentType = "video/mp2t";

    /// <summary>The recording's playlist, every part in turn; ended ones carry the end tag so players stop waiting.</summary>
    public static async Task<IResult> PlaylistAsync(string recordingId, bool ended, HttpContext http)
    {
        var folder = Path.Combine(Root(http), recordingId);
        var parts = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>().Where(HlsPlaylist.IsPart).OrderBy(HlsPlaylist.PartNumber).ToList()
            : [];
        var texts = new List<(string, string)>();
        foreach (var part in parts)
        {
            var playlist = Path.Combine(folder, part, "index.m3u8");
            texts.Add((part, File.Exists(playlist) ? await File.ReadAllTextAsync(playlist, http.RequestAborted) : ""));
        }

        return Results.Text(HlsPlaylist.Combine(texts, ended), PlaylistType);
    }

    /// <summary>Throws not-found unless <paramref name="part"/>/<paramref name="segment"/> names a segment file inside the recording's folder.</summary>
    public static void EnsureSegmentName(string part, string segment)
    {
        if (!HlsPlaylist.IsPart(part) || !HlsPlaylist.IsSegment(segment))
        {
            throw CommandException.NotFound("Segment", $"{part}/{segment}");
        }
    }

    /// <summary>One segment of the recording, or not-found when it is missing or its name would leave the recordings folder.</summary>
    public static IResult Segment(string recordingId, string part, string segment, HttpContext http)
    {
        EnsureSegmentName(part, segment);
        var root = Root(http);
        var path = Path.GetFullPath(Path.Combine(root, recordingId, part, segment));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw CommandException.NotFound("Segment", $"{part}/{segment}");
        }

        return Results.File(path, SegmentType, enableRangeProcessing: true);
    }

    private static string Root(HttpContext http)
    {
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        return (configuration.GetSection(RecordingOptions.Section).Get<RecordingOptions>() ?? new RecordingOptions())
            .RootFor(configuration["Command:DataDirectory"], http.RequestServices.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }
}
