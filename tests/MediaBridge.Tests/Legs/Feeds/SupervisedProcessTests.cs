using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Command.Grains.Tests.Infrastructure;
using MediaBridge.Legs.Feeds;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>A real child process under supervision: started again with back-off when it exits, killed when disposed or when its lifeline (the supervisor's pipe) closes.</summary>
public sealed class SupervisedProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_process_that_exits_is_started_again_after_waits_that_double_up_to_the_limit()
    {
        var starts = new ConcurrentQueue<long>();
        var prepared = 0;
        using var supervised = new SupervisedProcess("exits", "/bin/sh", () =>
        {
            Interlocked.Increment(ref prepared);
            return ["-c", "exit 3"];
        }, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), NullLogger.Instance);
        supervised.Started += _ => starts.Enqueue(Stopwatch.GetTimestamp());

        await Eventually.Until(() => Task.FromResult(starts.Count), n => n >= 6, Timeout);

        var at = starts.ToArray();
        var gaps = at.Zip(at.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine($"Gaps between starts: {string.Join(", ", gaps.Select(g => $"{g:0} ms"))}");
        Assert.True(gaps[0] >= 95, $"{gaps[0]:0} ms");
        Assert.True(gaps[1] >= 195, $"{gaps[1]:0} ms");
        Assert.True(gaps[2] >= 395, $"{gaps[2]:0} ms");
        Assert.True(gaps[3] >= 395 && gaps[4] >= 395, $"{gaps[3]:0} and {gaps[4]:0} ms");

        // Doubling on past the limit would make both at least 800 ms, whatever the machine's load.
        Assert.True(Math.Min(gaps[3], gaps[4]) < 800, $"{gaps[3]:0} and {gaps[4]:0} ms, held at the limit");
        Assert.True(Volatile.Read(ref prepared) >= 6, "each start is prepared afresh");
    }

    [Fact]
    public async Task Dispose_kills_the_running_process_and_starts_no_other()
    {
        var supervised = new SupervisedProcess("sleeps", "/bin/sleep", () => ["60"], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        var pid = await Eventually.Until(() => Task.FromResult(supervised.ProcessId), p => p is not null, Timeout);
        var child = await Eventually.Until(() => Task.FromResult(ChildOf(pid!.Value)), c => c is not null, Timeout);

        supervised.Dispose();

        await Eventually.Until(() => Task.FromResult(Directory.Exists($"/proc/{pid}") || Directory.Exists($"/proc/{child}")), alive => !alive, Timeout);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(1, supervised.Starts);
        Assert.Null(supervised.ProcessId);
    }

    [Fact]
    public async Task A_process_that_keeps_running_is_not_restarted()
    {
        using var supervised = new SupervisedProcess("runs", "/bin/sleep", () => ["60"], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        await Eventually.Until(() => Task.FromResult(supervised.ProcessId), p => p is not null, Timeout);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(1, supervised.Starts);
    }

    [Fact]
    public async Task The_child_is_killed_once_its_lifeline_closes_as_when_the_bridge_dies()
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", SupervisedProcess.Lifeline, "lifeline", "/bin/sleep", "60"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var child = await Eventually.Until(() => Task.FromResult(ChildOf(shell.Id)), c => c is not null, Timeout);

            shell.StandardInput.Close();

            await Eventually.Until(() => Task.FromResult(Directory.Exists($"/proc/{child}")), alive => !alive, Timeout);
            await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(137, shell.ExitCode);
        }
        finally
        {
            if (!shell.HasExited)
            {
                shell.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task The_lifeline_passes_the_childs_exit_status_on()
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", SupervisedProcess.Lifeline, "lifeline", "/bin/sh", "-c", "exit 3"]) { RedirectStandardInput = true })!;
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, shell.ExitCode);
    }

    /// <summary>The process running /bin/sleep whose parent is <paramref name="parent"/>, if any.</summary>
    private static int? ChildOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (name == "sleep" && int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent)
                {
                    return int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
            }
        }

        return null;
    }
}
