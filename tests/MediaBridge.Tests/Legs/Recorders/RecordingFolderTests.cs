using MediaBridge.Legs.Recorders;

namespace MediaBridge.Tests.Legs.Recorders;

/// <summary>Finding the recordings' folders old enough to be past keeping, and deleting an expired one so a delete cut short is finished later.</summary>
public sealed class RecordingFolderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("recording-folders-").FullName;

    [Fact]
    public void Only_recording_folders_untouched_since_the_cutoff_in_themselves_and_their_parts_are_found()
    {
        var cutoff = DateTimeOffset.UtcNow - TimeSpan.FromDays(180);
        var old = Recording("r-old", cutoff.AddDays(-1), cutoff.AddDays(-2));
        Recording("r-recent", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Recording("r-part-recent", cutoff.AddDays(-1), cutoff.AddMinutes(1));
        Recording(".expired-r-gone", cutoff.AddDays(-3), cutoff.AddDays(-3));
        Recording("Not-An-Id", cutoff.AddDays(-3), cutoff.AddDays(-3));
        File.WriteAllText(Path.Combine(root, "notes.txt"), "");

        Assert.Equal(["r-old"], RecordingFolder.UntouchedSince(root, cutoff));
        Assert.True(Directory.Exists(old));
    }

    [Fact]
    public void Deleting_removes_the_folder_and_finishes_one_cut_short_and_nothing_there_is_nothing_to_do()
    {
        var folder = Recording("r-expired", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        RecordingFolder.Delete(root, "r-expired");
        Assert.False(Directory.Exists(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));

        Recording(".expired-r-half", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Assert.Equal(["r-half"], RecordingFolder.Leftovers(root));
        RecordingFolder.Delete(root, "r-half");
        Assert.Empty(RecordingFolder.Leftovers(root));

        Recording(".expired-r-again", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Recording("r-again", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        RecordingFolder.Delete(root, "r-again");
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));

        RecordingFolder.Delete(root, "r-never");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Recording(string name, DateTimeOffset folderTime, DateTimeOffset partTime)
    {
        var folder = Path.Combine(root, name);
        var part = Directory.CreateDirectory(Path.Combine(folder, "part-1")).FullName;
        File.WriteAllBytes(Path.Combine(part, "seg-00000.ts"), [0x47]);
        Directory.SetLastWriteTimeUtc(part, partTime.UtcDateTime);
        Directory.SetLastWriteTimeUtc(folder, folderTime.UtcDateTime);
        return folder;
    }
}
