using System.Collections.Immutable;

namespace Command.Contracts.Media;

/// <summary>A session's leg statistics at one moment; <see cref="Seq"/> rises with every report.</summary>
[GenerateSerializer, Immutable, Alias("command.session-media")]
public sealed record SessionMedia(
    [property: Id(0)] string SessionId,
    [property: Id(1)] ImmutableArray<LegStats> Legs,
    [property: Id(2)] long Seq);
