using System.Collections.Immutable;
using Command.Contracts.Incidents;

namespace Command.Grains.Incidents;

public sealed class IncidentIndexGrain(
    [PersistentState("incident-index", CommandStorage.Name)] IPersistentState<IncidentIndexState> state) : Grain, IIncidentIndexGrain
{
    public async Task AddAsync(string incidentId)
    {
        if (state.State.IncidentIds.Contains(incidentId))
        {
            return;
        }

        state.State.IncidentIds.Add(incidentId);
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> ListAsync() =>
        Task.FromResult(state.State.IncidentIds.AsEnumerable().Reverse().ToImmutableArray());
}
