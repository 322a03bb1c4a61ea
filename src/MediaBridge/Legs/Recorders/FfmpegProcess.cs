using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// One ffmpeg run writing one part. Its error output is read as it comes (never left to fill the pipe) and
/// logged at debug, its last lines kept for a report of why a part wrote nothing; stopping asks it to finish ('q' on its input, so it closes the segment and playlist),
/// then kills it with any children once the grace runs out.
/// </summary>
public sealed partial class FfmpegProcess : IDisposable
{
    private const int KeptLines = 20;

    private readonly Process process;
    private readonly ILogger logger;
    private readonly string name;
    private readonly Queue<string> lastLines = new();
    private int disposed;

    private FfmpegProcess(Process process, ILogger logger, string name)
    {
        this.process = process;
        this.logger = logger;
        this.name = name;
    }

    public bool HasExited
    {
        get
        {
            try
            {
                return process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    public int? ExitCode => HasExited ? process.ExitCode : null;

    public int Id => process.Id;

    /// <summary>ffmpeg's last output lines, oldest first.</summary>
    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (lastLines)
            {
                return [.. lastLines];
            }
        }
    }

    /// <summary>Starts ffmpeg with the arguments given; throws when it cannot be started.</summary>
    public static FfmpegProcess Start(string ffmpeg, IReadOnlyList<string> arguments, ILogger logger, string name)
    {
        var info = new ProcessStartInfo(ffmpeg)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var run = new FfmpegProcess(process, logger, name);
        process.ErrorDataReceived += (_, e) => run.OnLine(e.Data);
        process.OutputDataReceived += (_, e) => run.OnLine(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return run;
    }

    /// <summary>Asks ffmpeg to finish, waits up to <paramref name="grace"/>, then kills its tree.</summary>
    public void Stop(TimeSpan grace)
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.Write('q');
                process.StandardInput.Flush();
                if (!process.WaitForExit(grace))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(TimeSpan.FromSeconds(2));
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            Kill();
            process.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            LogKillFailed(e, name);
        }
    }

    private void OnLine(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            lock (lastLines)
            {
                if (lastLines.Count == KeptLines)
                {
                    lastLines.Dequeue();
                }

                lastLines.Enqueue(line);
            }

            LogLine(name, line);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ffmpeg {Name}: {Line}")]
    private partial void LogLine(string name, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg {Name} could not be killed")]
    private partial void LogKillFailed(Exception e, string name);
}
