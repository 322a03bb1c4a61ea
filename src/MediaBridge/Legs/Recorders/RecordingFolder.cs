using Command.Contracts.Recordings;

namespace MediaBridge.Legs.Recorders;

/// <summary>A recording's folder under the recordings root: one folder per part, each with its ffmpeg's playlist.</summary>
internal static class RecordingFolder
{
    /// <summary>The next part's folder name: one past the highest there, so parts written before a restart are kept.</summary>
    public static string NextPart(string folder) =>
        $"part-{Directory.EnumerateDirectories(folder).Select(d => HlsPlaylist.PartNumber(Path.GetFileName(d))).DefaultIfEmpty(0).Max() + 1}";

    /// <summary>The media a part's playlist lists so far, in seconds; none while it has no playlist or cannot be read.</summary>
    public static double PartSeconds(string root, string recordingId, string part)
    {
        try
        {
            var playlist = Path.Combine(root, recordingId, part, FfmpegArguments.Playlist);
            return File.Exists(playlist) ? HlsPlaylist.Duration(File.ReadAllText(playlist)) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
