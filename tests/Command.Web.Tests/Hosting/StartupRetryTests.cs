using Command.Contracts;
using Command.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Command.Web.Tests.Hosting;

public sealed class StartupRetryTests
{
    [Fact]
    public async Task Work_that_meets_an_unsettled_cluster_is_tried_again_until_it_succeeds()
    {
        var attempts = 0;
        await StartupRetry.RunAsync("test", () =>
        {
            attempts++;
            return attempts < 3
                ? Task.FromException(new SiloUnavailableException("the silo holding this grain is gone"))
                : Task.CompletedTask;
        }, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_data_error_ends_start_up_at_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<CommandException>(() => StartupRetry.RunAsync("test", () =>
        {
            attempts++;
            throw CommandException.Invalid("venue v1 names no region");
        }, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Stopping_the_host_ends_the_retries()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StartupRetry.RunAsync(
            "test", () => Task.FromException(new TimeoutException()), NullLogger.Instance, stop.Token));
    }
}
