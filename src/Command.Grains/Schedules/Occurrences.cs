using Command.Contracts.Schedules;

namespace Command.Grains.Schedules;

/// <summary>The time slots a booking occupies, and where two bookings collide.</summary>
public static class Occurrences
{
    public static TimeSpan Step(Recurrence recurrence) => recurrence switch
    {
        Recurrence.Daily => TimeSpan.FromDays(1),
        Recurrence.Weekly => TimeSpan.FromDays(7),
        _ => TimeSpan.Zero,
    };

    public static DateTimeOffset StartOf(BookingRequest r, int index) => r.Start + (Step(r.Recurrence) * index);

    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Slots(BookingRequest r)
    {
        var duration = TimeSpan.FromMinutes(r.DurationMinutes);
        for (var i = 0; i < r.Occurrences; i++)
        {
            var start = StartOf(r, i);
            yield return (start, start + duration);
        }
    }

    /// <summary>The first overlapping pair of slots, or null. Both lists are in time order.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? FirstOverlap(BookingRequest a, BookingRequest b, DateTimeOffset notBefore)
    {
        var left = Slots(a).Where(s => s.End > notBefore).ToList();
        var right = Slots(b).Where(s => s.End > notBefore).ToList();
        int i = 0, j = 0;
        while (i < left.Count && j < right.Count)
        {
            if (left[i].Start < right[j].End && right[j].Start < left[i].End)
            {
                return right[j];
            }

            if (left[i].End <= right[j].End)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return null;
    }

    public static IEnumerable<string> Venues(BookingRequest r) =>
        new[] { r.ChairVenueId }.Concat(r.VenueIds.IsDefault ? [] : r.VenueIds).Distinct(StringComparer.Ordinal);
}
