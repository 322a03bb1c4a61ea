namespace Command.Contracts.Topology;

/// <summary>What a topology load changed; all zeros when the same file is loaded again.</summary>
[GenerateSerializer, Immutable, Alias("command.topology-load")]
public sealed record TopologyLoadResult(
    [property: Id(0)] int RegionsAdded,
    [property: Id(1)] int VenuesAdded,
    [property: Id(2)] int VenuesUpdated,
    [property: Id(3)] int FeedsAdded);
