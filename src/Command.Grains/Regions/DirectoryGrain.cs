using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Contracts.Topology;
using Command.Contracts.Venues;
using Command.Grains.Feeds;

namespace Command.Grains.Regions;

public sealed class DirectoryGrain(
    [PersistentState("directory", CommandStorage.Name)] IPersistentState<DirectoryState> state) : Grain, IDirectoryGrain
{
    private DirectoryState S => state.State;

    public async Task<TopologyLoadResult> LoadTopologyAsync(TopologyDocument document)
    {
        int regionsAdded = 0, venuesAdded = 0, venuesUpdated = 0, feedsAdded = 0;
        var changed = false;

        if (S.SipDomain != document.SipDomain)
        {
            S.SipDomain = document.SipDomain;
            changed = true;
        }

        foreach (var region in document.Regions)
        {
            var index = S.Regions.FindIndex(r => r.Code == region.Code);
            if (index < 0)
            {
                S.Regions.Add(region);
                regionsAdded++;
                changed = true;
            }
            else if (S.Regions[index] != region)
            {
                S.Regions[index] = region;
                changed = true;
            }
        }

        foreach (var venue in document.Venues)
        {
            var index = S.Venues.FindIndex(v => v.Id == venue.Id);
            if (index >= 0 && S.Venues[index] == venue)
            {
                continue;
            }

            await GrainFactory.GetGrain<IVenueGrain>(venue.Id).DefineAsync(venue);
            if (index < 0)
            {
                S.Venues.Add(venue);
                venuesAdded++;
            }
            else
            {
                S.Venues[index] = venue;
                venuesUpdated++;
            }

            changed = true;
        }

        foreach (var feed in document.Feeds)
        {
            if (S.FeedIds.Contains(feed.Id))
            {
                continue;
            }

            await GrainFactory.GetGrain<IFeedGrain>(feed.Id).DefineAsync(feed);
            S.FeedIds.Add(feed.Id);
            feedsAdded++;
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        return new TopologyLoadResult(regionsAdded, venuesAdded, venuesUpdated, feedsAdded);
    }

    public Task<ImmutableArray<RegionInfo>> GetRegionsAsync() => Task.FromResult(S.Regions.ToImmutableArray());

    public Task<ImmutableArray<RegionNode>> GetTreeAsync() => Task.FromResult(new RegionHierarchy(S.Regions).Tree());

    public Task<ImmutableArray<string>> GetVenueIdsAsync(string? regionCode)
    {
        if (regionCode is null)
        {
            return Task.FromResult(S.Venues.Select(v => v.Id).ToImmutableArray());
        }

        if (!S.Regions.Any(r => r.Code == regionCode))
        {
            throw CommandException.NotFound("Region", regionCode);
        }

        var subtree = new RegionHierarchy(S.Regions).Subtree(regionCode);
        return Task.FromResult(S.Venues.Where(v => subtree.Contains(v.RegionCode)).Select(v => v.Id).ToImmutableArray());
    }

    public Task<ImmutableArray<string>> GetVenueIdsByKindAsync(VenueKind kind) =>
        Task.FromResult(S.Venues.Where(v => v.Kind == kind).Select(v => v.Id).ToImmutableArray());

    public Task<ImmutableArray<VenueDefinition>> GetVenueDefinitionsAsync() => Task.FromResult(S.Venues.ToImmutableArray());

    public Task<ImmutableDictionary<string, string>> GetVenueRegionsAsync() =>
        Task.FromResult(S.Venues.ToImmutableDictionary(v => v.Id, v => v.RegionCode, StringComparer.Ordinal));

    public Task<ImmutableArray<string>> GetFeedIdsAsync() => Task.FromResult(S.FeedIds.ToImmutableArray());

    public Task<string> GetSipDomainAsync() => Task.FromResult(S.SipDomain);

    public async Task<FeedInfo> AddFeedAsync(string name, string url, string owner, string regionCode, string actor, FeedCredentials? credentials = null)
    {
        FeedRules.Validate(name, url, owner);
        FeedRules.ValidateCredentials(credentials);
        if (!S.Regions.Any(r => r.Code == regionCode))
        {
            throw CommandException.Invalid($"regionCode '{regionCode}' is not a region of the network.");
        }

        var feed = new FeedInfo(ShortId.New("feed"), name.Trim(), url.Trim(), owner.Trim(), regionCode);
        await GrainFactory.GetGrain<IFeedGrain>(feed.Id).DefineAsync(feed, credentials);
        S.FeedIds.Add(feed.Id);
        await state.WriteStateAsync();
        return feed;
    }
}
