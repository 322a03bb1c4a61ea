using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// Watches the free space under the recordings folder against the floor (see <see cref="DiskFloor"/>), at
/// most once per check period, and raises or clears the bridge's disk alarm when recording has to stop or
/// may go on. A disk whose free space cannot be read leaves things as they were.
/// </summary>
internal sealed partial class DiskWatch
{
    private readonly RecorderOptions options;
    private readonly IRecordingReports reports;
    private readonly Func<string, long> freeSpace;
    private readonly ILogger logger;
    private DateTimeOffset nextCheck = DateTimeOffset.MinValue;

    public DiskWatch(RecorderOptions options, IRecordingReports reports, Func<string, long>? freeSpace, ILogger logger)
    {
        this.options = options;
        this.reports = reports;
        this.freeSpace = freeSpace ?? FreeBytes;
        this.logger = logger;
    }

    /// <summary>Whether recording is stopped for lack of disk space.</summary>
    public bool Low { get; private set; }

    /// <summary>What the alarm says while recording is stopped; null otherwise.</summary>
    public string? Alarm { get; private set; }

    /// <summary>Checks the disk when a check is due; true when this check stopped recording or let it go on.</summary>
    public bool Check(DateTimeOffset now)
    {
        if (now < nextCheck)
        {
            return false;
        }

        nextCheck = now + options.CheckEvery;
        long free;
        try
        {
            Directory.CreateDirectory(options.Root);
            free = freeSpace(options.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogDiskUnreadable(e, options.Root);
            return false;
        }

        var stopped = DiskFloor.Stopped(Low, free, options.MinFreeBytes);
        if (stopped == Low)
        {
            return false;
        }

        Low = stopped;
        Alarm = stopped ? DiskFloor.Alarm(free, options.MinFreeBytes) : null;
        reports.DiskAlarm(Alarm);
        if (Alarm is not null)
        {
            LogLowDisk(Alarm);
        }
        else
        {
            LogSpaceBack(free / (1024 * 1024));
        }

        return true;
    }

    private static long FreeBytes(string path) => new DriveInfo(path).AvailableFreeSpace;

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk floor reached, {Alarm}")]
    private partial void LogLowDisk(string alarm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disk space is back ({FreeMegabytes} MB free); recording resumes")]
    private partial void LogSpaceBack(long freeMegabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The free space of the recordings folder {Root} could not be read")]
    private partial void LogDiskUnreadable(Exception e, string root);
}
