using Command.Contracts.Recordings;
using MediaBridge.Legs.Recorders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// Deletes the folders of expired recordings from this bridge's recordings folder, every
/// <see cref="RecordingOptions.RetentionCheck"/>. The cluster decides what expired (see <see cref="IRecordingRetentionGrain"/>);
/// each bridge deletes what it holds, since in a split deployment each may write on its own disk, and in the
/// all-in-one node the bridge and the web host share one folder. Only folders untouched for the cluster's retention
/// period are asked about, so a sweep reads no more than the recordings due. A failed delete is logged and tried
/// again on the next sweep; nothing escapes.
/// </summary>
public sealed partial class RecordingSweeper(
    RecorderOptions recorders, IOptions<RecordingOptions> options, IGrainFactory grains, TimeProvider time, ILogger<RecordingSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.RetentionCheck, time);
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogStopped(e);
        }
    }

    /// <summary>One sweep: the ids of the recordings whose folders were deleted.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        try
        {
            if (!Directory.Exists(recorders.Root))
            {
                return deleted;
            }

            foreach (var id in RecordingFolder.Leftovers(recorders.Root))
            {
                TryDelete(id, deleted);
            }

            // The cluster's period, not this process's setting, so every holder of a folder goes by the one decision.
            var retention = await grains.GetGrain<IRecordingRetentionGrain>(IRecordingRetentionGrain.DefaultKey).GetRetentionAsync();
            foreach (var id in RecordingFolder.UntouchedSince(recorders.Root, time.GetUtcNow() - retention))
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (await grains.GetGrain<IRecordingGrain>(id).IsExpiredAsync())
                    {
                        TryDelete(id, deleted);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogAskFailed(e, id);
                }
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogSweepFailed(e, recorders.Root);
        }

        return deleted;
    }

    private void TryDelete(string id, List<string> deleted)
    {
        try
        {
            RecordingFolder.Delete(recorders.Root, id);
            deleted.Add(id);
            LogDeleted(id, recorders.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(e, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired recording {RecordingId} deleted from {Root}")]
    private partial void LogDeleted(string recordingId, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired recording {RecordingId} could not be deleted; the next sweep tries again")]
    private partial void LogDeleteFailed(Exception e, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Whether recording {RecordingId} expired could not be learned; the next sweep asks again")]
    private partial void LogAskFailed(Exception e, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweep of expired recordings in {Root} failed; the next one tries again")]
    private partial void LogSweepFailed(Exception e, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "The sweep of expired recordings stopped")]
    private partial void LogStopped(Exception e);
}
