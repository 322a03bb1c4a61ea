using System.Collections.Immutable;
using Command.Contracts.Regions;
using Command.Contracts.Venues;
using MediaBridge.Sip.Auth;

namespace MediaBridge.Control;

/// <summary>
/// The venues' SIP users, passwords and digest algorithms as the topology defines them, read from
/// the directory grain and refreshed when a user is not found, so a reloaded topology is picked up.
/// </summary>
public sealed class VenueCredentials(IGrainFactory grains) : MediaBridge.Legs.Calls.IVenueDirectory
{
    private ImmutableDictionary<string, VenueDefinition> bySipUser = ImmutableDictionary<string, VenueDefinition>.Empty;
    private ImmutableDictionary<string, VenueDefinition> byVenueId = ImmutableDictionary<string, VenueDefinition>.Empty;
    private DateTimeOffset loadedAt;

    public string Domain { get; private set; } = "";

    public async Task RefreshAsync()
    {
        var directory = grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
        Domain = await directory.GetSipDomainAsync();
        var definitions = await directory.GetVenueDefinitionsAsync();
        bySipUser = definitions.ToImmutableDictionary(v => v.SipUser, StringComparer.Ordinal);
        byVenueId = definitions.ToImmutableDictionary(v => v.Id, StringComparer.Ordinal);
        loadedAt = DateTimeOffset.UtcNow;
    }

    public VenueDefinition? Find(string sipUser)
    {
        if (bySipUser.TryGetValue(sipUser, out var venue))
        {
            return venue;
        }

        // An unknown user may be a venue added since the last read; look again at most every 10 s.
        if (DateTimeOffset.UtcNow - loadedAt > TimeSpan.FromSeconds(10))
        {
            _ = RefreshAsync();
        }

        return null;
    }

    public string? SipUserOf(string venueId)
    {
        if (byVenueId.TryGetValue(venueId, out var venue))
        {
            return venue.SipUser;
        }

        if (DateTimeOffset.UtcNow - loadedAt > TimeSpan.FromSeconds(10))
        {
            _ = RefreshAsync();
        }

        return null;
    }

    public string? VenueOf(string sipUser) => Find(sipUser)?.Id;

    public string? PasswordOf(string sipUser) => Find(sipUser)?.SipPassword;

    public IReadOnlyList<DigestAlgorithm> AlgorithmsOf(string sipUser) =>
        Find(sipUser)?.SipDigest is { } configured
            ? [.. configured.Split(',').Select(a => DigestAlgorithms.TryParse(a.Trim(), out var parsed) ? parsed : DigestAlgorithm.Sha256).Distinct()]
            : DigestAuthenticator.DefaultAlgorithms;
}
