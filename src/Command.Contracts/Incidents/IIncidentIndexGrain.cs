using System.Collections.Immutable;

namespace Command.Contracts.Incidents;

/// <summary>The list of incident ids, newest first.</summary>
public interface IIncidentIndexGrain : IGrainWithStringKey
{
    const string DefaultKey = "incidents";

    Task AddAsync(string incidentId);

    [AlwaysInterleave]
    Task<ImmutableArray<string>> ListAsync();
}
