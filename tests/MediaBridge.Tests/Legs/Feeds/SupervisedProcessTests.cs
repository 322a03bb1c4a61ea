using System.Collections.Concurrent;
using System.Diagnostics;
using Command.Grains.Tests.Infrastructure;
using MediaBridge.Legs.Feeds;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Feeds;

/// <summary>A real child process under supervision: started again with back-off when it exits, killed when disposed, fed through standard input.</summary>
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
            return (["-c", "exit 3"], null);
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
        var supervised = new SupervisedProcess("sleeps", "/bin/sleep", () => (["60"], null), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        var pid = await Eventually.Until(() => Task.FromResult(supervised.ProcessId), p => p is not null, Timeout);
        Assert.True(Directory.Exists($"/proc/{pid}"));
        Assert.Contains("sleep", await File.ReadAllTextAsync($"/proc/{pid}/cmdline", TestContext.Current.CancellationToken));

        supervised.Dispose();

        await Eventually.Until(() => Task.FromResult(Directory.Exists($"/proc/{pid}")), alive => !alive, Timeout);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(1, supervised.Starts);
        Assert.Null(supervised.ProcessId);
    }

    [Fact]
    public async Task A_process_that_keeps_running_is_not_restarted()
    {
        using var supervised = new SupervisedProcess("runs", "/bin/sleep", () => (["60"], null), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), NullLogger.Instance);
        await Eventually.Until(() => Task.FromResult(supervised.ProcessId), p => p is not null, Timeout);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(1, supervised.Starts);
    }

    [Fact]
    public async Task Its_input_goes_through_standard_input_not_the_command_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"supervised-{Guid.NewGuid():N}");
        const string Secret = "rtsp://user:secret@camera/stream";
        using var supervised = new SupervisedProcess("reads", "/bin/sh", () => (["-c", $"cat > {file}; sleep 60"], Secret), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), NullLogger.Instance);
        try
        {
            var pid = await Eventually.Until(() => Task.FromResult(supervised.ProcessId), p => p is not null, Timeout);
            await Eventually.Until(() => Task.FromResult(File.Exists(file) ? File.ReadAllText(file) : ""), text => text == Secret, Timeout);
            Assert.DoesNotContain("secret", await File.ReadAllTextAsync($"/proc/{pid}/cmdline", TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
