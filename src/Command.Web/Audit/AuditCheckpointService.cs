using Command.Contracts.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Command.Web.Audit;

/// <summary>
/// Every <see cref="AuditOptions.CheckpointPeriod"/>, asks the audit log to copy its signed head to the checkpoint list
/// an auditor exports. Every node does this; the log adds a checkpoint only when the chain grew since the last one.
/// </summary>
public sealed partial class AuditCheckpointService(
    IGrainFactory grains, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.CheckpointPeriod, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey).CheckpointAsync() is { } checkpoint)
                    {
                        LogCheckpoint(logger, checkpoint.Count, checkpoint.Hash);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint at {Count} entries, head {Hash}")]
    private static partial void LogCheckpoint(ILogger logger, long count, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make the audit checkpoint; trying again next period")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
