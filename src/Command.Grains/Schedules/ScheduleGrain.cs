using System.Collections.Immutable;
using System.Globalization;
using Command.Contracts;
using Command.Contracts.Realtime;
using Command.Contracts.Schedules;
using Command.Grains.Realtime;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Schedules;

/// <summary>
/// The meeting book. Each booking keeps exactly one upcoming occurrence open as a scheduled
/// session (which opens its own check-in and starts itself on time); a durable reminder opens
/// the next occurrence once the previous one has started.
/// </summary>
public sealed partial class ScheduleGrain(
    [PersistentState("schedule", CommandStorage.Name)] IPersistentState<ScheduleState> state,
    TimeProvider time,
    ILogger<ScheduleGrain> logger) : Grain, IScheduleGrain, IRemindable
{
    private const string ReminderPrefix = "booking:";

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<BookingSnapshot> BookAsync(BookingRequest request, string actor)
    {
        request = await ValidateAsync(request);
        var now = Now;
        foreach (var other in state.State.Bookings.Where(b => !b.Cancelled))
        {
            var shared = Occurrences.Venues(request).Intersect(Occurrences.Venues(other.Request)).FirstOrDefault();
            if (shared is not null && Occurrences.FirstOverlap(request, other.Request, now) is { } slot)
            {
                throw CommandException.Conflict(
                    $"Venue '{shared}' is already booked by '{other.Request.Title}' ({other.Id}) from {slot.Start:u} to {slot.End:u}.");
            }
        }

        var booking = new BookingState { Id = ShortId.New("bk"), Request = request, CreatedBy = actor, CreatedAt = now };
        state.State.Bookings.Add(booking);
        try
        {
            await CommitAsync(booking);
        }
        catch
        {
            state.State.Bookings.Remove(booking);
            throw;
        }

        await AdvanceAsync(booking);
        return Snapshot(booking);
    }

    public async Task<BookingSnapshot> CancelAsync(string bookingId, string actor)
    {
        var booking = Find(bookingId);
        if (booking.Cancelled)
        {
            return Snapshot(booking);
        }

        booking.Cancelled = true;
        await CommitAsync(booking);
        await UnregisterAsync(booking.Id);
        foreach (var sessionId in booking.SessionIds)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(sessionId);
            if ((await session.GetAsync()).State == SessionPhase.Scheduled)
            {
                await session.EndAsync(actor, $"booking {booking.Id} cancelled");
            }
        }

        return Snapshot(booking);
    }

    public Task<BookingSnapshot> GetAsync(string bookingId) => Task.FromResult(Snapshot(Find(bookingId)));

    public Task<ImmutableArray<BookingSnapshot>> ListAsync() =>
        Task.FromResult(state.State.Bookings.OrderBy(b => b.Request.Start).Select(Snapshot).ToImmutableArray());

    public async Task<ImmutableArray<BookingConflict>> FindConflictsAsync(BookingRequest request)
    {
        request = await ValidateAsync(request);
        var now = Now;
        var venues = Occurrences.Venues(request).ToList();
        var found = ImmutableArray.CreateBuilder<BookingConflict>();
        foreach (var other in state.State.Bookings.Where(b => !b.Cancelled))
        {
            if (Occurrences.FirstOverlap(request, other.Request, now) is not { } slot)
            {
                continue;
            }

            foreach (var venue in venues.Intersect(Occurrences.Venues(other.Request)))
            {
                found.Add(new BookingConflict(venue, ConflictKind.Booking, other.Id, other.Request.Title, slot.Start, slot.End));
            }
        }

        var firstStart = request.Start;
        var sessions = await GrainFactory.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync();
        foreach (var summary in sessions.Where(s => s.State == SessionPhase.Live && s.VenueIds.Any(venues.Contains)))
        {
            var session = await GrainFactory.GetGrain<ISessionGrain>(summary.Id).GetAsync();
            if (session.ScheduledEnd is { } end && end <= firstStart)
            {
                continue;
            }

            foreach (var venue in session.Venues.Where(p => p.Status == ParticipantStatus.Joined)
                .Select(p => p.VenueId).Prepend(session.ChairVenueId).Distinct(StringComparer.Ordinal).Where(venues.Contains))
            {
                // A live occurrence of a booking already named above is the same conflict.
                if (!found.Any(c => c.VenueId == venue && c.Id == session.ScheduleId))
                {
                    found.Add(new BookingConflict(venue, ConflictKind.Session, session.Id, session.Title, session.StartedAt ?? now, session.ScheduledEnd));
                }
            }
        }

        return found.ToImmutable();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var id = reminderName.StartsWith(ReminderPrefix, StringComparison.Ordinal) ? reminderName[ReminderPrefix.Length..] : null;
        var booking = state.State.Bookings.Find(b => b.Id == id);
        if (booking is null || booking.Cancelled)
        {
            if (await this.GetReminder(reminderName) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        await AdvanceAsync(booking);
    }

    /// <summary>
    /// Opens the next occurrence once the previous one has started, skipping any that passed
    /// entirely while the node was down, then sets the reminder for the next step.
    /// </summary>
    private async Task AdvanceAsync(BookingState booking)
    {
        var r = booking.Request;
        var duration = TimeSpan.FromMinutes(r.DurationMinutes);
        while (booking.NextIndex < r.Occurrences)
        {
            var k = booking.NextIndex;
            var start = Occurrences.StartOf(r, k);
            var now = Now;
            if (start + duration <= now)
            {
                booking.NextIndex++;
                continue;
            }

            if (booking.SessionIds.Count > 0 && k > 0 && Occurrences.StartOf(r, k - 1) > now)
            {
                break;
            }

            var sessionId = await OpenOccurrenceAsync(booking, k, start, now);
            booking.SessionIds.Add(sessionId);
            booking.NextIndex++;
            await CommitAsync(booking);
        }

        if (booking.NextIndex < r.Occurrences)
        {
            var due = Occurrences.StartOf(r, booking.NextIndex - 1) - Now;
            await this.RegisterOrUpdateReminder(ReminderPrefix + booking.Id, due < TimeSpan.Zero ? TimeSpan.Zero : due, TimeSpan.FromMinutes(1));
        }
        else
        {
            await UnregisterAsync(booking.Id);
        }
    }

    private async Task<string> OpenOccurrenceAsync(BookingState booking, int index, DateTimeOffset start, DateTimeOffset now)
    {
        var r = booking.Request;

        // An occurrence already under way (the node was down at its start) still opens, a moment from now.
        var effectiveStart = start > now + TimeSpan.FromSeconds(1) ? start : now + TimeSpan.FromSeconds(2);
        var title = r.Recurrence == Recurrence.None
            ? r.Title
            : $"{r.Title} ({start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
        var sessionId = ShortId.New("s");
        await GrainFactory.GetGrain<ISessionGrain>(sessionId).CreateAsync(
            new CreateSessionCommand(
                title, SessionKind.Meeting, r.ChairVenueId, r.VenueIds,
                ScheduledStart: effectiveStart,
                Public: r.Public,
                ScheduledEnd: start + TimeSpan.FromMinutes(r.DurationMinutes),
                CheckInLeadMinutes: r.CheckInLeadMinutes,
                ScheduleId: booking.Id),
            booking.CreatedBy);
        LogOccurrenceOpened(booking.Id, index, sessionId);
        return sessionId;
    }

    private async Task<BookingRequest> ValidateAsync(BookingRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Title) || r.Title.Trim().Length > 200)
        {
            throw CommandException.Invalid("title is required (at most 200 characters).");
        }

        if (string.IsNullOrWhiteSpace(r.ChairVenueId))
        {
            throw CommandException.Invalid("chairVenueId is required.");
        }

        if (r.DurationMinutes is < 1 or > 1440)
        {
            throw CommandException.Invalid("durationMinutes must be between 1 and 1440.");
        }

        if (!Enum.IsDefined(r.Recurrence))
        {
            throw CommandException.Invalid("recurrence must be none, daily or weekly.");
        }

        if (r.Recurrence == Recurrence.None ? r.Occurrences != 1 : r.Occurrences is < 1 or > 366)
        {
            throw CommandException.Invalid("occurrences must be 1 for a one-off booking and 1 to 366 for a recurring one.");
        }

        if (r.CheckInLeadMinutes is < 0 or > 1440)
        {
            throw CommandException.Invalid("checkInLeadMinutes must be between 0 and 1440.");
        }

        if (r.Start <= Now)
        {
            throw CommandException.Invalid("start must be in the future.");
        }

        var venues = (r.VenueIds.IsDefault ? [] : r.VenueIds)
            .Where(v => v != r.ChairVenueId).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (venues.Any(string.IsNullOrWhiteSpace))
        {
            throw CommandException.Invalid("venueIds must not contain empty ids.");
        }

        foreach (var id in venues.Prepend(r.ChairVenueId))
        {
            if (await GrainFactory.GetGrain<IVenueGrain>(id).GetAsync() is null)
            {
                throw CommandException.NotFound("Venue", id);
            }
        }

        return r with { Title = r.Title.Trim(), VenueIds = venues };
    }

    private async Task CommitAsync(BookingState booking)
    {
        booking.Version++;
        await state.WriteStateAsync();
        Changes.Publish(GrainFactory, CommandEvent.For(Snapshot(booking)));
    }

    private BookingState Find(string bookingId) =>
        state.State.Bookings.Find(b => b.Id == bookingId) ?? throw CommandException.NotFound("Booking", bookingId);

    private async Task UnregisterAsync(string bookingId)
    {
        if (await this.GetReminder(ReminderPrefix + bookingId) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private BookingSnapshot Snapshot(BookingState b)
    {
        var now = Now;
        DateTimeOffset? next = b.Cancelled
            ? null
            : Occurrences.Slots(b.Request).Select(s => (DateTimeOffset?)s.Start).FirstOrDefault(s => s > now);
        return new BookingSnapshot(b.Id, b.Request, b.CreatedBy, b.CreatedAt, b.Cancelled, [.. b.SessionIds], next, b.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Booking {BookingId} opened occurrence {Index} as session {SessionId}")]
    private partial void LogOccurrenceOpened(string bookingId, int index, string sessionId);
}
