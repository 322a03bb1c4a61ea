namespace Command.Contracts.Media;

/// <summary>
/// One venue in a conference plan: whether it is heard, and whose video it receives: a venue's, or a
/// camera feed's when <see cref="VideoSourceFeedId"/> is set (then <see cref="VideoSourceVenueId"/> is null).
/// </summary>
[GenerateSerializer, Immutable, Alias("command.plan-leg")]
public sealed record PlanLeg(
    [property: Id(0)] string VenueId,
    [property: Id(1)] bool Muted,
    [property: Id(2)] string? VideoSourceVenueId)
{
    [Id(3)]
    public string? VideoSourceFeedId { get; init; }

    /// <summary>The cascade uplink whose picture (the upper session's) this venue receives; then the other sources are null.</summary>
    [Id(4)]
    public string? VideoSourceUplinkId { get; init; }

    /// <summary>For a deployment below joined as this venue: the venue of its own it is asked to send up, told over its call.</summary>
    [Id(5)]
    public string? RemoteVenueId { get; init; }
}
