using System.Collections.Immutable;

namespace Command.Contracts.Sessions;

/// <summary>The list of sessions, newest first. One activation, keyed <see cref="DefaultKey"/>.</summary>
public interface ISessionIndexGrain : IGrainWithStringKey
{
    const string DefaultKey = "sessions";

    Task UpsertAsync(SessionSummary summary);

    [AlwaysInterleave]
    Task<ImmutableArray<SessionSummary>> ListAsync();
}
