using System.Threading.Channels;
using Command.Contracts.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Command.Web.Audit;

/// <summary>
/// Appends audit records for the web host. Entries a request must not go without are appended directly; an outcome
/// that cannot be appended in time is kept and retried in the background until it lands. Retries reuse the record's
/// id, so an append whose reply was lost is not written twice.
/// </summary>
public sealed partial class AuditWriter(IGrainFactory grains, TimeProvider time, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int PendingLimit = 100_000;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly Channel<AuditRecord> pending = Channel.CreateBounded<AuditRecord>(
        new BoundedChannelOptions(PendingLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private const int AttemptTries = 3;

    /// <summary>The store did not answer: its client timed out or lost the connection (known by namespace, as it is not referenced here).</summary>
    private static bool StoreAway(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is TimeoutException || x.GetType().Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private IAuditLogGrain Log => grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey);

    /// <summary>How many records wait for a retry.</summary>
    public int Pending => pending.Reader.Count;

    /// <summary>
    /// Appends, trying twice more over about a second when the cluster stumbles (a grain moving between
    /// silos, two activations racing while a new cluster settles); safe because an append is idempotent
    /// per entry id. A store that is away fails at once, so the request gets its 503 without waiting out
    /// three store timeouts.
    /// </summary>
    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Log.AppendAsync(record).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (attempt < AttemptTries && !StoreAway(e) && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(logger, e, record.Action, record.EntryId);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time, cancellationToken);
        }
    }

    /// <summary>Appends, or, failing that within <paramref name="wait"/>, leaves the record to the background retry; never throws.</summary>
    public async Task AppendOrRetryAsync(AuditRecord record, TimeSpan wait)
    {
        try
        {
            await Log.AppendAsync(record).WaitAsync(wait, time);
        }
        catch (Exception e)
        {
            LogRetrying(logger, e, record.Action, record.EntryId);
            if (!pending.Writer.TryWrite(record))
            {
                LogDropped(logger, record.Action, record.EntryId);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in pending.Reader.ReadAllAsync(stoppingToken))
            {
                for (var delay = FirstRetry; ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks)))
                {
                    try
                    {
                        await Log.AppendAsync(record);
                        break;
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogStillFailing(logger, e, record.Action, record.EntryId);
                        await Task.Delay(delay, time, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogStopped(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit entry for {Action} ({EntryId}) was not appended yet; retrying in the background")]
    private static partial void LogRetrying(ILogger logger, Exception e, string action, string entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit entry for {Action} ({EntryId}) still could not be appended")]
    private static partial void LogStillFailing(ILogger logger, Exception e, string action, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Too many audit entries wait for a retry; the entry for {Action} ({EntryId}) was dropped")]
    private static partial void LogDropped(ILogger logger, string action, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit retry stopped")]
    private static partial void LogStopped(ILogger logger, Exception e);
}
