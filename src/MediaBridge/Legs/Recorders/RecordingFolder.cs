using Command.Contracts.Recordings;

namespace MediaBridge.Legs.Recorders;

/// <summary>A recording's folder under the recordings root: one folder per part, each with its ffmpeg's playlist.</summary>
internal static class RecordingFolder
{
    /// <summary>What an expired recording's folder is renamed to before it is deleted; not a recording id, so never served or taken for one.</summary>
    public const string ExpiredPrefix = ".expired-";

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

    /// <summary>
    /// The recordings under <paramref name="root"/> whose folders nothing was added to, renamed in or removed from since
    /// <paramref name="cutoff"/> (their own folder's and their parts' times): only these can have ended before it.
    /// </summary>
    public static List<string> UntouchedSince(string root, DateTimeOffset cutoff)
    {
        var found = new List<string>();
        foreach (var folder in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (HlsPlaylist.IsRecordingId(folder.Name) && LastChange(folder) < cutoff.UtcDateTime)
            {
                found.Add(folder.Name);
            }
        }

        return found;
    }

    /// <summary>
    /// Deletes a recording's folder: first renamed aside in one step (so it is gone from its place at once and a
    /// delete cut short is known by its name), then deleted with everything in it. Nothing there is nothing to do, and
    /// what vanishes meanwhile was deleted by another holder of a shared folder.
    /// </summary>
    public static void Delete(string root, string recordingId)
    {
        var folder = Path.Combine(root, recordingId);
        var aside = Path.Combine(root, ExpiredPrefix + recordingId);
        try
        {
            if (Directory.Exists(folder))
            {
                if (Directory.Exists(aside))
                {
                    Directory.Delete(aside, recursive: true);
                }

                Directory.Move(folder, aside);
            }

            if (Directory.Exists(aside))
            {
                Directory.Delete(aside, recursive: true);
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The recordings whose deletion was cut short, by id.</summary>
    public static List<string> Leftovers(string root) =>
        [.. new DirectoryInfo(root).EnumerateDirectories(ExpiredPrefix + "*").Select(d => d.Name[ExpiredPrefix.Length..]).Where(HlsPlaylist.IsRecordingId)];

    private static DateTime LastChange(DirectoryInfo folder) =>
        folder.EnumerateDirectories().Select(d => d.LastWriteTimeUtc).Append(folder.LastWriteTimeUtc).Max();
}
