using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>Everything needed to open a session; see <c>POST /api/sessions</c>.</summary>
[GenerateSerializer, Immutable, Alias("command.create-session")]
public sealed record CreateSessionCommand(
    [property: Id(0)] string Title,
    [property: Id(1)] SessionKind Kind,
    [property: Id(2)] string ChairVenueId,
    [property: Id(3)] ImmutableArray<string> VenueIds,
    [property: Id(4)] string? IncidentId = null,
    [property: Id(5)] DateTimeOffset? ScheduledStart = null,
    [property: Id(6)] bool Public = false,
    [property: Id(7)] DateTimeOffset? ScheduledEnd = null,
    [property: Id(8)] int? CheckInLeadMinutes = null,
    [property: Id(9)] string? ScheduleId = null,
    [property: Id(10)] bool? AutoBackupEnabled = null,
    [property: Id(11)] int? AutoBackupAfterSeconds = null)
{
    /// <summary>Record the session; null records emergencies only.</summary>
    [Id(12)]
    public bool? Record { get; init; }
}
