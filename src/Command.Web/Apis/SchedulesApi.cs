using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Schedules;
using Command.Web.Apis.Requests;
using System.Security.Claims;
using Command.Web.Auth;
using Command.Web.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>The meeting book: one-off and recurring bookings with conflict detection.</summary>
public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/schedules").WithTags("Schedules");
        group.MapPost("/", BookAsync).RequireAuthorization(Policies.Schedules)
            .WithSummary("Book a meeting; a venue booked twice at once is refused with the other booking named.");
        group.MapGet("/", ListAsync).WithSummary("Bookings chaired in your region.");
        group.MapGet("/conflicts", ConflictsAsync).RequireAuthorization(Policies.Schedules)
            .WithSummary("What a booking would collide with, before saving: venues booked or in a live session at that time.");
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Schedules);
        return group;
    }

    private static async Task<Created<BookingSnapshot>> BookAsync(
        CreateBookingRequest? body, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var r = Require.Body(body);
        var request = new BookingRequest(
            Require.Text(r.Title, "title"),
            Require.Text(r.ChairVenueId, "chairVenueId"),
            [.. (r.VenueIds ?? []).Select(v => v?.Trim() ?? "")],
            Require.Value(r.Start, "start"),
            Require.Value(r.DurationMinutes, "durationMinutes"),
            r.Recurrence ?? Recurrence.None,
            r.Occurrences ?? 1,
            r.CheckInLeadMinutes ?? 15,
            r.Public ?? false);
        foreach (var venue in request.VenueIds.Prepend(request.ChairVenueId))
        {
            await authority.EnsureVenueAsync(user, venue);
        }

        var booking = await Schedule(grains).BookAsync(request, Authority.NameOf(user));
        return TypedResults.Created($"/api/schedules/{booking.Id}", booking);
    }

    private static async Task<Ok<ImmutableArray<BookingConflict>>> ConflictsAsync(
        [FromQuery(Name = "venueId")] string[]? venueIds,
        string? chairVenueId,
        DateTimeOffset? start,
        int? durationMinutes,
        string? recurrence,
        int? occurrences,
        ClaimsPrincipal user,
        Authority authority,
        IGrainFactory grains)
    {
        // The same rules as booking, with a stand-in title: the title does not change what collides.
        var request = new BookingRequest(
            "conflict check",
            Require.Text(chairVenueId, "chairVenueId"),
            [.. (venueIds ?? []).Select(v => v?.Trim() ?? "")],
            Require.Value(start, "start"),
            Require.Value(durationMinutes, "durationMinutes"),
            ParseRecurrence(recurrence),
            occurrences ?? 1);
        foreach (var venue in request.VenueIds.Prepend(request.ChairVenueId))
        {
            await authority.EnsureVenueAsync(user, venue);
        }

        return TypedResults.Ok(await Schedule(grains).FindConflictsAsync(request));
    }

    // Query strings spell it as the JSON does (none, daily, weekly); numbers are refused like in a body.
    private static Recurrence ParseRecurrence(string? value) =>
        string.IsNullOrWhiteSpace(value) ? Recurrence.None
        : !char.IsDigit(value.Trim()[0]) && Enum.TryParse<Recurrence>(value.Trim(), ignoreCase: true, out var parsed) ? parsed
        : throw CommandException.Invalid("recurrence must be none, daily or weekly.");

    private static async Task<Ok<ImmutableArray<BookingSnapshot>>> ListAsync(ClaimsPrincipal user, RegionCache regions, IGrainFactory grains)
    {
        var index = await regions.GetAsync();
        var mine = Authority.RegionOf(user);
        return TypedResults.Ok((await Schedule(grains).ListAsync())
            .Where(b => index.RegionOfVenue(b.Request.ChairVenueId) is { } r && index.IsWithin(r, mine))
            .ToImmutableArray());
    }

    private static async Task<Ok<BookingSnapshot>> GetAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var booking = await Schedule(grains).GetAsync(id);
        await authority.EnsureVenueAsync(user, booking.Request.ChairVenueId);
        return TypedResults.Ok(booking);
    }

    private static async Task<Ok<BookingSnapshot>> CancelAsync(string id, ClaimsPrincipal user, Authority authority, IGrainFactory grains)
    {
        var booking = await Schedule(grains).GetAsync(id);
        await authority.EnsureVenueAsync(user, booking.Request.ChairVenueId);
        return TypedResults.Ok(await Schedule(grains).CancelAsync(id, Authority.NameOf(user)));
    }

    private static IScheduleGrain Schedule(IGrainFactory grains) => grains.GetGrain<IScheduleGrain>(IScheduleGrain.DefaultKey);
}
