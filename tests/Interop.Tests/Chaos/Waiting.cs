using System.Diagnostics;

namespace Interop.Tests.Chaos;

/// <summary>
/// Polls a condition up to a cap and says how long it took, or null if it never held; a chaos
/// test measures a recovery past its bar too, so the figure can be quoted when the bar is missed.
/// </summary>
public static class Waiting
{
    public static async Task<TimeSpan?> MeasureAsync(Func<Task<bool>> condition, TimeSpan cap, Stopwatch? since = null, TimeSpan? every = null)
    {
        var clock = since ?? Stopwatch.StartNew();
        while (clock.Elapsed < cap)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }

        return null;
    }
}
