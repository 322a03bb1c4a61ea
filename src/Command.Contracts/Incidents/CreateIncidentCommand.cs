namespace Command.Contracts.Incidents;

/// <summary>Opens an incident (突发事件). Severity runs from 1 (I, 特别重大) to 4 (IV, 一般).</summary>
[GenerateSerializer, Immutable, Alias("command.create-incident")]
public sealed record CreateIncidentCommand(
    [property: Id(0)] string Title,
    [property: Id(1)] string Type,
    [property: Id(2)] int Severity,
    [property: Id(3)] string RegionCode)
{
    /// <summary>What the reporting officer knows beyond the title (casualties, access, hazards); optional.</summary>
    [Id(4)]
    public string? Description { get; init; }
}
