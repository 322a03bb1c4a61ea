using System.Collections.Immutable;

namespace Command.Contracts.Cascade;

/// <summary>
/// This deployment's uplinks to the deployments above it (级联), as one grain: their definitions with the
/// passwords encrypted at rest, which bridge holds each, and the status that bridge reports.
/// </summary>
public interface IUplinksGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>Defines an uplink; invalid input or a name in use is refused and changes nothing.</summary>
    Task<UplinkView> AddAsync(UplinkRequest request);

    /// <summary>Removes an uplink (its bridge unregisters it); one defined by configuration is refused with a conflict.</summary>
    Task RemoveAsync(string id);

    /// <summary>
    /// Makes the configured uplinks those given, matched by name: new ones are added, changed ones updated,
    /// and configured ones no longer listed removed. Loading the same list again changes nothing. Returns how many changed.
    /// </summary>
    Task<int> ConfigureAsync(ImmutableArray<UplinkRequest> configured);

    [AlwaysInterleave]
    Task<ImmutableArray<UplinkView>> ListAsync();

    [AlwaysInterleave]
    Task<UplinkView?> GetAsync(string id);

    /// <summary>
    /// A bridge's periodic claim: returns the uplinks it is to hold. An uplink whose bridge has not claimed
    /// within its lease goes to the least-loaded bridge that claims. <paramref name="lease"/> is how long
    /// this bridge's silence is waited out before its uplinks move.
    /// </summary>
    Task<ImmutableArray<UplinkAssignment>> TakeAsync(string bridgeId, TimeSpan lease);

    /// <summary>A holding bridge's status report; kept in memory with its lease, never stored.</summary>
    Task ReportAsync(UplinkReport report);

    /// <summary>
    /// The deployment above calls the uplink that <paramref name="bridgeId"/> holds: returns the live relay
    /// session the call joins, the one bound to the uplink if it is still live, else a new relay session of the
    /// uplink's venues, started at once. Refused (conflict) when the uplink has no venues to relay to.
    /// </summary>
    Task<string> CalledAsync(string bridgeId, string uplinkId);
}
