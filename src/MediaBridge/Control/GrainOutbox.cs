using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Grain calls made one at a time and in order, off the SIP and media threads. A failed call is
/// logged and tried again after a growing pause, up to <c>attempts</c> times, then given up; nothing is thrown.
/// </summary>
public sealed partial class GrainOutbox(ILogger logger, int attempts)
{
    private readonly Channel<(string What, Func<Task> Send)> queue = Channel.CreateBounded<(string, Func<Task>)>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Post(string what, Func<Task> send) => queue.Writer.TryWrite((what, send));

    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (var (what, send) in queue.Reader.ReadAllAsync(cancel))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await send();
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogFailed(e, what, attempt, attempts);
                        if (attempt >= attempts)
                        {
                            break;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Min(1 << attempt, 32)), cancel);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed (attempt {Attempt} of {Attempts})")]
    private partial void LogFailed(Exception e, string what, int attempt, int attempts);
}
