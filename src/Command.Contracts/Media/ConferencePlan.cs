using System.Collections.Immutable;

namespace Command.Contracts.Media;

/// <summary>
/// What a session wants of its bridge, whole: the venues to call, their mutes and video routes.
/// The bridge reconciles towards the newest plan it holds, so plans may be resent or reordered
/// freely; <see cref="Version"/> is the session's and an older plan is ignored.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.conference-plan")]
public sealed record ConferencePlan(
    [property: Id(0)] string SessionId,
    [property: Id(1)] bool Live,
    [property: Id(2)] ImmutableArray<PlanLeg> Legs,
    [property: Id(3)] long Version);
