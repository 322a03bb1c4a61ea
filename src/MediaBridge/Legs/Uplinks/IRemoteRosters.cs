using System.Collections.Immutable;
using Command.Contracts.Sessions;

namespace MediaBridge.Legs.Uplinks;

/// <summary>Where a deployment below's roster, sent up its venue's call, is reported (the control layer passes it on to the session).</summary>
public interface IRemoteRosters
{
    void Reported(string sessionId, string venueId, ImmutableArray<RemoteVenue> venues);
}
