namespace MediaBridge.Legs.Recorders;

/// <summary>
/// The disk-space floor of recording: below it recording stops; it resumes only once free space is back a
/// margin above the floor (a tenth of it, at least 16 MB), so a disk hovering at the floor does not start and
/// stop recorders every check.
/// </summary>
public static class DiskFloor
{
    private const long MinimumMargin = 16L * 1024 * 1024;

    /// <summary>Whether recording is stopped after a check that found <paramref name="freeBytes"/> free, given whether it was stopped before.</summary>
    public static bool Stopped(bool wasStopped, long freeBytes, long floorBytes)
    {
        if (floorBytes <= 0)
        {
            return false;
        }

        return wasStopped ? freeBytes < floorBytes + Math.Max(floorBytes / 10, MinimumMargin) : freeBytes < floorBytes;
    }

    /// <summary>What the alarm says while recording is stopped.</summary>
    public static string Alarm(long freeBytes, long floorBytes) =>
        $"recording stopped: {freeBytes / (1024 * 1024)} MB free on the recordings disk, below the floor of {floorBytes / (1024 * 1024)} MB";
}
