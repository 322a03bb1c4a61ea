using Command.Contracts.Schedules;

namespace Command.Grains.Schedules;

[GenerateSerializer]
public sealed class BookingState
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public BookingRequest Request { get; set; } = null!;

    [Id(2)] public string CreatedBy { get; set; } = "";

    [Id(3)] public DateTimeOffset CreatedAt { get; set; }

    [Id(4)] public bool Cancelled { get; set; }

    [Id(5)] public List<string> SessionIds { get; set; } = [];

    /// <summary>The occurrence whose session is opened next.</summary>
    [Id(6)] public int NextIndex { get; set; }

    [Id(7)] public long Version { get; set; }
}
