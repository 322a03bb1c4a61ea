namespace Command.Contracts.Timeline;

/// <summary>One append-only record of an action: who did what, to what, and when.</summary>
[GenerateSerializer, Immutable, Alias("command.timeline-entry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Action,
    [property: Id(3)] string Detail,
    [property: Id(4)] string Source);
