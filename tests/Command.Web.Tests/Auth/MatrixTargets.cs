using System.Net;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Auth;

/// <summary>
/// Fresh targets in 禅城区 (440604) for one matrix row, made by the admin on first use and torn
/// down afterwards, so each row runs against the state it expects whatever ran before it.
/// </summary>
public sealed class MatrixTargets(HttpClient admin)
{
    private readonly List<Func<Task>> cleanups = [];
    private string? session;
    private string? scheduled;
    private string? incident;
    private string? booking;

    public static string Township => "fs-chancheng-shiwanzhen";

    public string? Created { get; set; }

    public async Task<string> ExpandAsync(string path)
    {
        if (path.Contains("{session}", StringComparison.Ordinal))
        {
            path = path.Replace("{session}", await SessionAsync(), StringComparison.Ordinal);
        }

        if (path.Contains("{scheduled}", StringComparison.Ordinal))
        {
            path = path.Replace("{scheduled}", await ScheduledAsync(), StringComparison.Ordinal);
        }

        if (path.Contains("{incident}", StringComparison.Ordinal))
        {
            path = path.Replace("{incident}", await IncidentAsync(), StringComparison.Ordinal);
        }

        if (path.Contains("{booking}", StringComparison.Ordinal))
        {
            path = path.Replace("{booking}", await BookingAsync(), StringComparison.Ordinal);
        }

        return path;
    }

    public async Task CleanUpAsync()
    {
        foreach (var cleanup in Enumerable.Reverse(cleanups))
        {
            await cleanup();
        }
    }

    public void EndSessionLater(string id) =>
        cleanups.Add(() => admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken));

    public void CancelBookingLater(string id) =>
        cleanups.Add(() => admin.PostAsync($"/api/schedules/{id}/cancel", null, TestContext.Current.CancellationToken));

    private async Task<string> SessionAsync()
    {
        session ??= await CreateSessionAsync(
            new { title = "矩阵", kind = "emergency", chairVenueId = "fs-chancheng", venueIds = new[] { "fs-chancheng-zumiao", "fs-chancheng-nanzhuang" } });
        return session;
    }

    private async Task<string> ScheduledAsync()
    {
        scheduled ??= await CreateSessionAsync(new { title = "矩阵例会", kind = "meeting", chairVenueId = Township });
        return scheduled;
    }

    private async Task<string> CreateSessionAsync(object body)
    {
        var id = (string)(await admin.PostJsonAsync("/api/sessions", body, HttpStatusCode.Created))["id"]!;
        EndSessionLater(id);
        return id;
    }

    private async Task<string> IncidentAsync()
    {
        incident ??= (string)(await admin.PostJsonAsync(
            "/api/incidents", new { title = "矩阵事件", type = "fire", severity = 4, regionCode = "440604" }, HttpStatusCode.Created))["id"]!;
        return incident;
    }

    private async Task<string> BookingAsync()
    {
        if (booking is null)
        {
            booking = (string)(await admin.PostJsonAsync("/api/schedules", BookingBody(), HttpStatusCode.Created))["id"]!;
            CancelBookingLater(booking);
        }

        return booking;
    }

    public static object BookingBody() => new
    {
        title = "矩阵预约",
        chairVenueId = Township,
        start = DateTimeOffset.UtcNow.AddDays(400 + Random.Shared.Next(0, 10000)).ToString("O"),
        durationMinutes = 30,
    };
}
