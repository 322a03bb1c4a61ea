using System.Collections.Immutable;

namespace Command.Contracts.Media;

/// <summary>
/// What a session wants of its bridge, whole: the venues to call, their mutes and video routes, and
/// the camera feeds it uses (a leg's video may come from a feed instead of a venue).
/// The bridge reconciles towards the newest plan it holds, so plans may be resent or reordered
/// freely; <see cref="Version"/> is the session's and an older plan is ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.conference-plan")]
public sealed record ConferencePlan(
    [property: Id(0)] string SessionId,
    [property: Id(1)] bool Live,
    [property: Id(2)] ImmutableArray<PlanLeg> Legs,
    [property: Id(3)] long Version)
{
    /// <summary>The session's attached feeds that the bridge must ingest while the session is live.</summary>
    [Id(4)]
    public ImmutableArray<PlanFeed> Feeds { get; init; } = [];

    /// <summary>The session's recording while it asks to be recorded; null when nothing is recorded.</summary>
    [Id(5)]
    public PlanRecording? Recording { get; init; }

    /// <summary>The cascade uplink a relay session relays, with what goes up it; null for other sessions.</summary>
    [Id(6)]
    public PlanUplink? Uplink { get; init; }
}
