using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Recordings;
using Command.Contracts.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Command.Grains.Recordings;

/// <summary>
/// The recordings and their ends, so the sweep finds the ones past keeping without reading every recording. One
/// activation for the cluster, however many silos: a timer sweeps every <see cref="RecordingOptions.RetentionCheck"/>
/// and keeps the grain active; a reminder (a minute at least, the reminders' floor) brings it back after a restart or
/// the loss of its silo. What is expired stays expired in the recording itself; this list only forgets it.
/// </summary>
public sealed partial class RecordingRetentionGrain(
    [PersistentState("recording-retention", CommandStorage.Name)] IPersistentState<RecordingRetentionState> state,
    IOptions<RecordingOptions> options,
    TimeProvider time,
    ILogger<RecordingRetentionGrain> logger) : Grain, IRecordingRetentionGrain, IRemindable
{
    private const string Reminder = "retention";
    private static readonly TimeSpan ReminderFloor = TimeSpan.FromMinutes(1);

    // TrackAsync interleaves with a sweep, so writes of the state take turns.
    private readonly SemaphoreSlim writing = new(1, 1);

    private RecordingRetentionState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var every = options.Value.RetentionCheck;
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(every, every) { KeepAlive = true });
        try
        {
            await this.RegisterOrUpdateReminder(Reminder, ReminderFloor, every > ReminderFloor ? every : ReminderFloor);
        }
        catch (Exception e)
        {
            LogReminderFailed(e);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public async Task TrackAsync(string recordingId, DateTimeOffset? endedAt)
    {
        if (S.Recordings.TryGetValue(recordingId, out var known) && known == endedAt)
        {
            return;
        }

        S.Recordings[recordingId] = endedAt;
        await WriteAsync();
    }

    public Task<TimeSpan> GetRetentionAsync() => Task.FromResult(options.Value.Retention);

    public async Task<ImmutableArray<string>> SweepAsync(DateTimeOffset at)
    {
        if (!S.Backfilled)
        {
            await BackfillAsync();
        }

        var retention = options.Value.Retention;
        var expired = ImmutableArray.CreateBuilder<string>();
        var changed = false;
        foreach (var (id, known) in S.Recordings.ToList())
        {
            try
            {
                var endedAt = known;
                if (endedAt is null)
                {
                    // A recording's end normally comes from the recording itself; asking those still running catches one that was lost.
                    var info = await Recording(id).GetSummaryAsync();
                    if (info is null)
                    {
                        changed |= S.Recordings.Remove(id);
                        continue;
                    }

                    if (info.EndedAt is null)
                    {
                        continue;
                    }

                    S.Recordings[id] = endedAt = info.EndedAt;
                    changed = true;
                }

                if (!RecordingExpiry.IsDue(endedAt, at, retention))
                {
                    continue;
                }

                if (await Recording(id).ExpireAsync(at, retention))
                {
                    S.Recordings.Remove(id);
                    expired.Add(id);
                }
                else
                {
                    // Running again as far as the recording knows: its end is read afresh.
                    S.Recordings[id] = null;
                }

                changed = true;
            }
            catch (Exception e)
            {
                LogExpireFailed(e, id);
            }
        }

        if (changed)
        {
            await WriteAsync();
        }

        if (expired.Count > 0)
        {
            LogSwept(expired.Count, S.Recordings.Count);
        }

        return expired.ToImmutable();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync(time.GetUtcNow());
        }
        catch (Exception e)
        {
            LogSweepFailed(e);
        }
    }

    /// <summary>Adds the recordings made before this list was kept, from every session's own list; tried again on the next sweep until it gets through.</summary>
    private async Task BackfillAsync()
    {
        try
        {
            foreach (var session in await GrainFactory.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync())
            {
                ImmutableArray<string> ids;
                try
                {
                    ids = await GrainFactory.GetGrain<ISessionGrain>(session.Id).GetRecordingIdsAsync();
                }
                catch (CommandException e) when (e.Kind == CommandErrorKind.NotFound)
                {
                    continue;
                }

                foreach (var id in ids)
                {
                    if (!S.Recordings.ContainsKey(id) && await Recording(id).GetSummaryAsync() is { } info)
                    {
                        S.Recordings[id] = info.EndedAt;
                    }
                }
            }

            S.Backfilled = true;
            await WriteAsync();
        }
        catch (Exception e)
        {
            LogBackfillFailed(e);
        }
    }

    private IRecordingGrain Recording(string id) => GrainFactory.GetGrain<IRecordingGrain>(id);

    private async Task WriteAsync()
    {
        await writing.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            writing.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} recordings past the retention period expired; {Kept} kept")]
    private partial void LogSwept(int count, int kept);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} could not be expired; the next sweep tries again")]
    private partial void LogExpireFailed(Exception e, string recordingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recording retention sweep failed; the next one tries again")]
    private partial void LogSweepFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recordings made before the retention list was kept could not all be added; the next sweep tries again")]
    private partial void LogBackfillFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recording retention reminder could not be registered; it is tried again on the next activation")]
    private partial void LogReminderFailed(Exception e);
}
