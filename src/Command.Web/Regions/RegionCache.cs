using Command.Contracts.Regions;

namespace Command.Web.Regions;

/// <summary>
/// The hierarchy as this web host last read it from the directory grain. The topology changes
/// only when a file is loaded, so a short staleness is harmless and spares a grain call per request.
/// </summary>
public sealed class RegionCache(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private (RegionIndex Index, DateTimeOffset At)? current;

    public async Task<RegionIndex> GetAsync(bool forceRefresh = false)
    {
        if (!forceRefresh && current is { } c && time.GetUtcNow() - c.At < MaxAge && c.Index.Root.Length > 0)
        {
            return c.Index;
        }

        await refresh.WaitAsync();
        try
        {
            if (!forceRefresh && current is { } again && time.GetUtcNow() - again.At < MaxAge && again.Index.Root.Length > 0)
            {
                return again.Index;
            }

            var directory = grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
            var index = new RegionIndex(await directory.GetRegionsAsync(), await directory.GetVenueRegionsAsync());
            current = (index, time.GetUtcNow());
            return index;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>The venue's region, reading the directory again when the venue is new to this host.</summary>
    public async Task<string?> RegionOfVenueAsync(string venueId)
    {
        var index = await GetAsync();
        return index.RegionOfVenue(venueId) ?? (await GetAsync(forceRefresh: true)).RegionOfVenue(venueId);
    }
}
