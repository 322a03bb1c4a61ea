namespace Command.Grains.Incidents;

[GenerateSerializer]
public sealed class IncidentIndexState
{
    [Id(0)] public List<string> IncidentIds { get; set; } = [];
}
