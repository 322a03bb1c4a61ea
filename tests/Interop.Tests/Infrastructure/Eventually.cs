using System.Diagnostics;
using Interop.Tests.Chaos;

namespace Interop.Tests.Infrastructure;

/// <summary>Waits for a condition (polling through the shared helper) and fails with the diagnostics if it never holds.</summary>
public static class Eventually
{
    /// <summary>Returns how long the condition took, from <paramref name="since"/> when given; a timing test may poll more often with <paramref name="every"/>.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what, Func<string> diagnostics, double seconds = 30, Stopwatch? since = null, TimeSpan? every = null)
    {
        var took = await Waiting.MeasureAsync(condition, TimeSpan.FromSeconds(seconds), since, every);
        Assert.True(took is not null, $"Timed out after {seconds:F1} s waiting for {what}.\n{diagnostics()}");
        return took.Value;
    }

    public static Task<TimeSpan> UntilAsync(Func<bool> condition, string what, Func<string> diagnostics, double seconds = 30, Stopwatch? since = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, diagnostics, seconds, since, every);
}
