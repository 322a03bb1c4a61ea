using System.Collections.Immutable;
using Command.Contracts.Schedules;
using Command.Web.Apis.Requests;
using Command.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>The meeting book: one-off and recurring bookings with conflict detection.</summary>
public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/schedules").WithTags("Schedules");
        group.MapPost("/", BookAsync).WithSummary("Book a meeting; a venue booked twice at once is refused with the other booking named.");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/cancel", CancelAsync);
        return group;
    }

    private static async Task<Created<BookingSnapshot>> BookAsync(CreateBookingRequest? body, HttpContext context, IGrainFactory grains)
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
        var booking = await Schedule(grains).BookAsync(request, Actor.Of(context));
        return TypedResults.Created($"/api/schedules/{booking.Id}", booking);
    }

    private static async Task<Ok<ImmutableArray<BookingSnapshot>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await Schedule(grains).ListAsync());

    private static async Task<Ok<BookingSnapshot>> GetAsync(string id, IGrainFactory grains) =>
        TypedResults.Ok(await Schedule(grains).GetAsync(id));

    private static async Task<Ok<BookingSnapshot>> CancelAsync(string id, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(await Schedule(grains).CancelAsync(id, Actor.Of(context)));

    private static IScheduleGrain Schedule(IGrainFactory grains) => grains.GetGrain<IScheduleGrain>(IScheduleGrain.DefaultKey);
}
