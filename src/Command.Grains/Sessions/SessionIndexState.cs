using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionIndexState
{
    [Id(0)] public List<SessionSummary> Sessions { get; set; } = [];
}
