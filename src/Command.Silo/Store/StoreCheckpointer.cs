using System.Diagnostics.Metrics;
using Command.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>
/// Checkpoints the embedded store on a timer. Recovery replays the log only from the last
/// checkpoint, so this keeps restarts fast and the log bounded on a node that runs for months.
/// A failed checkpoint never stops the node: the log still holds every write, so it is logged,
/// counted and tried again sooner than the period.
/// </summary>
internal sealed partial class StoreCheckpointer(
    StoreConnection store, IOptions<CommandOptions> options, TimeProvider time, IMeterFactory meters, ILogger<StoreCheckpointer> logger) : BackgroundService
{
    public const string MeterName = "Command.Store";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);

    private readonly Counter<long> checkpoints = meters.Create(MeterName).CreateCounter<long>(
        "command.store.checkpoints", description: "Checkpoints of the embedded store, by outcome");

    private long failuresInARow;

    /// <summary>Checkpoints that completed since start; the health check and tests read it.</summary>
    public long Completed { get; private set; }

    /// <summary>Checkpoints that failed since start.</summary>
    public long Failed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMinutes(options.Value.CheckpointMinutes);
        var wait = period;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(wait, time, stoppingToken);
                wait = await CheckpointAsync() ? period : NextRetry(period);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> CheckpointAsync()
    {
        try
        {
            var connection = await store.GetAdminAsync();
            foreach (var endpoint in connection.GetEndPoints())
            {
                await connection.GetServer(endpoint).SaveAsync(SaveType.BackgroundSave);
            }

            failuresInARow = 0;
            Completed++;
            checkpoints.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
            LogCheckpoint(Completed);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failuresInARow++;
            Failed++;
            checkpoints.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogCheckpointFailed(e, failuresInARow);
            return false;
        }
    }

    /// <summary>5 s, 10 s, 20 s… after failures in a row, never longer than the period itself.</summary>
    private TimeSpan NextRetry(TimeSpan period)
    {
        var backoff = FirstRetry * Math.Pow(2, Math.Min(10, failuresInARow - 1));
        return backoff < period ? backoff : period;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded store checkpoint {Count} started")]
    private partial void LogCheckpoint(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded store checkpoint failed ({FailuresInARow} in a row); the log keeps every write meanwhile, and it is tried again")]
    private partial void LogCheckpointFailed(Exception e, long failuresInARow);
}
