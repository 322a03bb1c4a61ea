using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// A child process kept running: started at once, started again when it exits after a wait of
/// <c>restartFirst</c>, doubled on each exit up to <c>restartMax</c> (back to the first once a run
/// lasted <c>restartMax</c>), and killed with its children when disposed. Each start's arguments come
/// fresh from <c>prepare</c>. The child runs under a small shell that holds the pipe of its standard
/// input as a lifeline: should the bridge die without disposing it, even by kill -9, the pipe closes and
/// the shell kills the child (a parent-death signal is not kept through exec in every container).
/// Its output is read as it comes and logged at debug; nothing here blocks on it.
/// </summary>
public sealed partial class SupervisedProcess : IDisposable
{
    /// <summary>
    /// Runs "$@" with no input, reads its own standard input until end of file (in a background subshell,
    /// given the input explicitly since POSIX hands background jobs /dev/null), then kills it; exits with its status.
    /// </summary>
    public const string Lifeline =
        "exec 3<&0; \"$@\" </dev/null 3<&- & child=$!; " +
        "{ while read -r _; do :; done; kill -KILL $child 2>/dev/null; } <&3 & watch=$!; " +
        "exec 3<&-; wait $child; status=$?; kill $watch 2>/dev/null; exit $status";

    private const string Shell = "/bin/sh";

    private readonly string name;
    private readonly string file;
    private readonly Func<IReadOnlyList<string>> prepare;
    private readonly TimeSpan restartFirst;
    private readonly TimeSpan restartMax;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly ManualResetEventSlim wake = new();
    private readonly Thread thread;
    private Process? current;
    private bool stopped;
    private int starts;

    public SupervisedProcess(string name, string file, Func<IReadOnlyList<string>> prepare, TimeSpan restartFirst, TimeSpan restartMax, ILogger logger)
    {
        this.name = name;
        this.file = file;
        this.prepare = prepare;
        this.restartFirst = restartFirst;
        this.restartMax = restartMax;
        this.logger = logger;
        thread = new Thread(Run) { IsBackground = true, Name = $"child {name}" };
        thread.Start();
    }

    /// <summary>Raised on the supervising thread with the process id of each start.</summary>
    public event Action<int>? Started;

    public int Starts => Volatile.Read(ref starts);

    /// <summary>The running child's id (its lifeline shell's), or null between runs.</summary>
    public int? ProcessId
    {
        get
        {
            lock (gate)
            {
                try
                {
                    return current is { HasExited: false } p ? p.Id : null;
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopped = true;
            Kill(current);
        }

        wake.Set();
        if (Thread.CurrentThread != thread)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        wake.Dispose();
    }

    private static void Kill(Process? process)
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private void Run()
    {
        var delay = restartFirst;
        while (true)
        {
            var began = Stopwatch.GetTimestamp();
            Process? process = null;
            try
            {
                process = Launch();
                if (process is null)
                {
                    return;
                }

                process.WaitForExit();
                LogExited(name, process.ExitCode);
            }
            catch (Exception e)
            {
                LogFailed(e, name);
            }
            finally
            {
                lock (gate)
                {
                    current = null;
                }

                process?.Dispose();
            }

            delay = Stopwatch.GetElapsedTime(began) >= restartMax ? restartFirst : delay;
            lock (gate)
            {
                if (stopped)
                {
                    return;
                }
            }

            try
            {
                wake.Wait(delay);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, restartMax.Ticks));
        }
    }

    /// <summary>Starts the child unless stopped, under the lock so that a dispose either prevents it or kills it.</summary>
    private Process? Launch()
    {
        var arguments = prepare();
        var start = new ProcessStartInfo
        {
            FileName = Shell,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", Lifeline, name, file })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        lock (gate)
        {
            if (stopped)
            {
                return null;
            }

            process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, line) => Output(line.Data);
            process.ErrorDataReceived += (_, line) => Output(line.Data);
            process.Start();
            current = process;
        }

        Interlocked.Increment(ref starts);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LogStarted(name, process.Id);
        Started?.Invoke(process.Id);
        return process;
    }

    private void Output(string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            LogOutput(name, line);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: started process {ProcessId}")]
    private partial void LogStarted(string name, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: the process exited with code {ExitCode}")]
    private partial void LogExited(string name, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: the process could not be started or watched; it is tried again after a wait")]
    private partial void LogFailed(Exception e, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name}: {Line}")]
    private partial void LogOutput(string name, string line);
}
