using System.Collections.Immutable;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

public sealed class SessionIndexGrain(
    [PersistentState("session-index", CommandStorage.Name)] IPersistentState<SessionIndexState> state) : Grain, ISessionIndexGrain
{
    public async Task UpsertAsync(SessionSummary summary)
    {
        var list = state.State.Sessions;
        var index = list.FindIndex(s => s.Id == summary.Id);
        if (index >= 0 && list[index] == summary with { VenueIds = list[index].VenueIds } && list[index].VenueIds.SequenceEqual(summary.VenueIds))
        {
            return;
        }

        if (index >= 0)
        {
            list[index] = summary;
        }
        else
        {
            list.Add(summary);
        }

        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<SessionSummary>> ListAsync() =>
        Task.FromResult(state.State.Sessions.AsEnumerable().Reverse().ToImmutableArray());
}
