using Command.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Command.Web.Hosting;

/// <summary>
/// Start-up work that needs the cluster, tried until the cluster settles. After a whole-cluster cold
/// restart the membership table still lists silos that are gone, and calls routed to them fail until
/// they are declared dead; that is no reason for a node to give up. Only a configuration or data error
/// (which no retry can fix) ends start-up.
/// </summary>
public static partial class StartupRetry
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string what, Func<Task> work, ILogger logger, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                if (attempt > 1)
                {
                    LogSucceeded(logger, what, attempt);
                }

                return;
            }
            catch (Exception e) when (!IsFatal(e) && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(logger, e, what, attempt, delay.TotalSeconds);
            }

            await Task.Delay(delay, cancellationToken);
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }
    }

    private static bool IsFatal(Exception e) => e is CommandException or OptionsValidationException or FormatException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start-up step '{What}' failed (attempt {Attempt}); the cluster may still be settling, trying again in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, Exception e, string what, int attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up step '{What}' succeeded after {Attempt} attempts")]
    private static partial void LogSucceeded(ILogger logger, string what, int attempt);
}
