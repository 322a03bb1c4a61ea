using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Incidents;
using Command.Contracts.Realtime;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Grains.Realtime;
using Command.Grains.Timeline;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Incidents;

public sealed partial class IncidentGrain(
    [PersistentState("incident", CommandStorage.Name)] IPersistentState<IncidentState> state,
    TimeProvider time,
    ITimelineStore timelines,
    ILogger<IncidentGrain> logger) : Grain, IIncidentGrain
{
    /// <summary>A few paragraphs of what is known; more belongs in the timeline as it develops.</summary>
    private const int MaxDescription = 2000;

    private readonly List<TimelineEntry> unrecorded = [];

    private IncidentState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private IDirectoryGrain Directory => GrainFactory.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);

    public async Task<IncidentSnapshot> CreateAsync(CreateIncidentCommand command, string actor)
    {
        if (S.Created)
        {
            throw CommandException.Conflict($"Incident '{Id}' already exists.");
        }

        if (string.IsNullOrWhiteSpace(command.Title) || command.Title.Trim().Length > 200)
        {
            throw CommandException.Invalid("title is required (at most 200 characters).");
        }

        if (string.IsNullOrWhiteSpace(command.Type) || command.Type.Trim().Length > 100)
        {
            throw CommandException.Invalid("type is required (at most 100 characters).");
        }

        if (command.Description is { } description && description.Trim().Length > MaxDescription)
        {
            throw CommandException.Invalid($"description is at most {MaxDescription} characters.");
        }

        if (command.Severity is < 1 or > 4)
        {
            throw CommandException.Invalid("severity must be 1 (I, 特别重大) to 4 (IV, 一般).");
        }

        var regions = await Directory.GetRegionsAsync();
        if (!regions.Any(r => r.Code == command.RegionCode))
        {
            throw CommandException.NotFound("Region", command.RegionCode ?? "");
        }

        S.Title = command.Title.Trim();
        S.Type = command.Type.Trim();
        S.Description = string.IsNullOrWhiteSpace(command.Description) ? null : command.Description.Trim();
        S.Severity = command.Severity;
        S.RegionCode = command.RegionCode;
        S.Status = IncidentStatus.Reported;
        S.ReportedAt = time.GetUtcNow();
        ApplyCommandLevel(regions);
        S.Created = true;
        Record(actor, "reported", $"severity {CommandLevels.Roman(S.Severity)} {S.Type} in {S.RegionCode}; commanded by {S.CommandRegionCode} ({S.CommandLevel.ToString().ToLowerInvariant()})");
        try
        {
            await CommitAsync();
        }
        catch
        {
            state.State = new IncidentState();
            unrecorded.Clear();
            throw;
        }

        await GrainFactory.GetGrain<IIncidentIndexGrain>(IIncidentIndexGrain.DefaultKey).AddAsync(Id);
        return await GetAsync();
    }

    public async Task<IncidentSnapshot> GetAsync()
    {
        EnsureCreated();
        var timeline = new List<TimelineEntry>(await timelines.ReadAsync(TimelineSource));
        var feeds = new List<string>(S.FeedIds);
        foreach (var sessionId in S.SessionIds)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            timeline.AddRange(await session.GetTimelineAsync());
            feeds.AddRange((await session.GetAsync()).FeedIds.Where(f => !feeds.Contains(f)));
        }

        return new IncidentSnapshot(
            Id, S.Title, S.Type, S.Severity, S.RegionCode, S.CommandLevel, S.CommandRegionCode, S.CommandVenueId,
            S.Status, S.ReportedAt, [.. S.SessionIds], [.. feeds],
            [.. timeline.OrderBy(e => e.At)], S.Version)
        {
            Description = S.Description,
        };
    }

    public async Task<IncidentSnapshot> EscalateAsync(string actor, string? reason)
    {
        EnsureOpen();
        if (S.Severity == 1)
        {
            throw CommandException.Conflict($"Incident '{Id}' is already at severity I (特别重大); it cannot be escalated further.");
        }

        var previousLevel = S.CommandLevel;
        var previousRegion = S.CommandRegionCode;
        S.Severity--;
        ApplyCommandLevel(await Directory.GetRegionsAsync());
        var why = string.IsNullOrWhiteSpace(reason) ? "escalated" : reason.Trim();
        Record(actor, "escalated", $"severity {CommandLevels.Roman(S.Severity + 1)} → {CommandLevels.Roman(S.Severity)}; command {previousRegion} → {S.CommandRegionCode}; {why}");
        await CommitAsync();

        if (S.CommandLevel != previousLevel && S.CommandVenueId is { } commandVenue)
        {
            await HandOverSessionsAsync(commandVenue, actor, why);
        }

        return await GetAsync();
    }

    public async Task<IncidentSnapshot> SetStatusAsync(IncidentStatus status, string actor, ClosingSessions? sessions = null, string? reason = null)
    {
        EnsureCreated();
        if (!Enum.IsDefined(status))
        {
            throw CommandException.Invalid("status must be reported, responding or closed.");
        }

        if (sessions is { } choice && (status != IncidentStatus.Closed || !Enum.IsDefined(choice)))
        {
            throw CommandException.Invalid("sessions (end or keep) applies only when closing an incident.");
        }

        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (sessions == ClosingSessions.Keep && why is null)
        {
            throw CommandException.Invalid("reason is required to keep the incident's sessions running.");
        }

        if (S.Status == status)
        {
            return await GetAsync();
        }

        if (S.Status == IncidentStatus.Closed || status == IncidentStatus.Reported)
        {
            throw CommandException.Conflict($"Incident '{Id}' cannot go from {S.Status.ToString().ToLowerInvariant()} to {status.ToString().ToLowerInvariant()}.");
        }

        if (status == IncidentStatus.Closed)
        {
            await SettleSessionsAsync(actor, sessions, why);
        }

        S.Status = status;
        Record(actor, status.ToString().ToLowerInvariant(), status == IncidentStatus.Closed && sessions is { } c
            ? $"sessions: {c.ToString().ToLowerInvariant()}" + (why is null ? "" : $" ({why})")
            : "");
        await CommitAsync();
        return await GetAsync();
    }

    /// <summary>
    /// Closing decides the fate of the sessions still live or scheduled: without a choice nothing
    /// changes and the refusal names them; "end" ends each, "keep" leaves each running; both say so
    /// on the incident's and the session's timeline.
    /// </summary>
    private async Task SettleSessionsAsync(string actor, ClosingSessions? choice, string? reason)
    {
        var running = new List<(string Id, SessionPhase State)>();
        foreach (var sessionId in S.SessionIds)
        {
            var state = (await GrainFactory.GetGrain<ISessionGrain>(sessionId).GetAsync()).State;
            if (state != SessionPhase.Ended)
            {
                running.Add((sessionId, state));
            }
        }

        if (running.Count == 0)
        {
            return;
        }

        if (choice is null)
        {
            var names = string.Join(", ", running.Select(r => $"{r.Id} ({r.State.ToString().ToLowerInvariant()})"));
            throw CommandException.Conflict(
                $"Incident '{Id}' still has sessions running: {names}. Say sessions: \"end\" to end them or \"keep\" with a reason to leave them running.");
        }

        foreach (var (sessionId, _) in running)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            try
            {
                if (choice == ClosingSessions.End)
                {
                    await session.EndAsync(actor, "incident closed");
                    Record(actor, "session-ended", $"{sessionId}: ended as the incident closed");
                }
                else
                {
                    await session.KeepAfterIncidentClosedAsync(Id, actor, reason!);
                    Record(actor, "session-kept", $"{sessionId}: keeps running after the incident closed: {reason}");
                }
            }
            catch (CommandException e) when (e.Kind == CommandErrorKind.Conflict)
            {
                // The session ended on its own between the check and the action; closing goes on.
                Record(actor, "session-settled", $"{sessionId}: {e.Message}");
            }
        }
    }

    public async Task<IncidentSnapshot> LinkSessionAsync(string sessionId, string actor)
    {
        EnsureOpen();
        if (!S.SessionIds.Contains(sessionId))
        {
            S.SessionIds.Add(sessionId);
            if (S.Status == IncidentStatus.Reported)
            {
                S.Status = IncidentStatus.Responding;
            }

            Record(actor, "session-linked", sessionId);
            await CommitAsync();
        }

        return await GetAsync();
    }

    public async Task<IncidentSnapshot> AttachFeedAsync(string feedId, string actor)
    {
        EnsureOpen();
        if (await GrainFactory.GetGrain<IFeedGrain>(feedId).GetAsync() is not { } feed)
        {
            throw CommandException.NotFound("Feed", feedId);
        }

        if (!S.FeedIds.Contains(feedId))
        {
            S.FeedIds.Add(feedId);
            Record(actor, "feed-attached", $"{feed.Id} ({feed.Name}, {feed.Owner})");
            await CommitAsync();
        }

        foreach (var sessionId in S.SessionIds)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            if ((await session.GetAsync()).State != SessionPhase.Ended)
            {
                await session.AttachFeedAsync(feedId, actor);
            }
        }

        return await GetAsync();
    }

    public Task EnsureOpenAsync()
    {
        EnsureOpen();
        return Task.CompletedTask;
    }

    /// <summary>The new commanding level's venue joins every live linked session and takes the chair.</summary>
    private async Task HandOverSessionsAsync(string commandVenue, string actor, string why)
    {
        foreach (var sessionId in S.SessionIds)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            if ((await session.GetAsync()).State != SessionPhase.Live)
            {
                continue;
            }

            try
            {
                await session.EscalateAsync(commandVenue, actor, $"incident {Id} escalated: {why}");
            }
            catch (CommandException e)
            {
                LogHandOverRefused(e, sessionId, commandVenue);
                Record("system", "escalation-refused", $"{sessionId}: {e.Message}");
                await CommitAsync();
            }
        }
    }

    private void ApplyCommandLevel(IReadOnlyCollection<RegionInfo> regions)
    {
        var commanding = CommandLevels.CommandRegion(regions, S.RegionCode, S.Severity);
        S.CommandLevel = commanding.Level;
        S.CommandRegionCode = commanding.Code;
        S.CommandVenueId = commanding.CommandVenueId;
    }

    private string TimelineSource => $"incident:{Id}";

    private async Task CommitAsync()
    {
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            unrecorded.Clear();
            DeactivateOnIdle();
            throw;
        }

        if (unrecorded.Count > 0)
        {
            var entries = unrecorded.ToArray();
            unrecorded.Clear();
            await timelines.AppendAsync(TimelineSource, entries);
        }

        Changes.Publish(GrainFactory, CommandEvent.For(await GetAsync()));
    }

    private void Record(string actor, string action, string detail) =>
        unrecorded.Add(new TimelineEntry(time.GetUtcNow(), actor, action, detail, TimelineSource));

    private void EnsureCreated()
    {
        if (!S.Created)
        {
            throw CommandException.NotFound("Incident", Id);
        }
    }

    private void EnsureOpen()
    {
        EnsureCreated();
        if (S.Status == IncidentStatus.Closed)
        {
            throw CommandException.Conflict($"Incident '{Id}' is closed.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} refused escalation to {VenueId}")]
    private partial void LogHandOverRefused(Exception e, string sessionId, string venueId);
}
