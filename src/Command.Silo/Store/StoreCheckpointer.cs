using Command.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>
/// Checkpoints the embedded store on a timer. Recovery replays the log only from the last
/// checkpoint, so this keeps restarts fast and the log bounded on a node that runs for months.
/// </summary>
internal sealed partial class StoreCheckpointer(
    StoreConnection store, IOptions<CommandOptions> options, ILogger<StoreCheckpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckpointMinutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var connection = await store.GetAsync();
                foreach (var endpoint in connection.GetEndPoints())
                {
                    await connection.GetServer(endpoint).SaveAsync(SaveType.BackgroundSave);
                }

                LogCheckpoint();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogCheckpointFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded store checkpoint started")]
    private partial void LogCheckpoint();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded store checkpoint failed; the log keeps every write meanwhile")]
    private partial void LogCheckpointFailed(Exception e);
}
