namespace Command.Contracts.Sessions;

/// <summary>One venue's place in a session, as served in <c>GET /api/sessions/{id}</c>.</summary>
[GenerateSerializer, Immutable, Alias("command.participant")]
public sealed record Participant(
    [property: Id(0)] string VenueId,
    [property: Id(1)] ParticipantStatus Status,
    [property: Id(2)] bool Muted,
    [property: Id(3)] string? ViewingVenueId,
    [property: Id(4)] bool CheckedIn,
    [property: Id(5)] string? Note);
