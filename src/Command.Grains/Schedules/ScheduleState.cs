namespace Command.Grains.Schedules;

[GenerateSerializer]
public sealed class ScheduleState
{
    [Id(0)] public List<BookingState> Bookings { get; set; } = [];
}
