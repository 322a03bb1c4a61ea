using System.Diagnostics;

namespace Interop.Tests.Chaos;

/// <summary>
/// Polls a condition up to a cap and says how long it took, or null if it never held; a chaos
/// test measures a recovery past its bar too, so the figure can be quoted when the bar is missed.
/// Other tests wait with <see cref="UntilAsync(Func{Task{bool}}, string, Func{string}, double, Stopwatch?, TimeSpan?)"/>, which fails with their diagnostics.
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

    /// <summary>
    /// Waits for <paramref name="condition"/> and fails with <paramref name="diagnostics"/> if it never holds; returns how long it
    /// took, from <paramref name="since"/> when given. A timing test may poll more often with <paramref name="every"/>.
    /// </summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what, Func<string> diagnostics, double seconds = 30, Stopwatch? since = null, TimeSpan? every = null)
    {
        var took = await MeasureAsync(condition, TimeSpan.FromSeconds(seconds), since, every);
        Assert.True(took is not null, $"Timed out after {seconds:F1} s waiting for {what}.\n{diagnostics()}");
        return took.Value;
    }

    public static Task<TimeSpan> UntilAsync(Func<bool> condition, string what, Func<string> diagnostics, double seconds = 30, Stopwatch? since = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, diagnostics, seconds, since, every);
}
