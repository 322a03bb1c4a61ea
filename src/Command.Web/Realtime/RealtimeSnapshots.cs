using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Contracts.Regions;
using Command.Contracts.Schedules;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;
using Command.Web.Auth;
using Command.Web.Regions;

namespace Command.Web.Realtime;

/// <summary>Builds the snapshot a region subscriber gets first.</summary>
public sealed class RealtimeSnapshots(IGrainFactory grains, RegionCache regions)
{
    public async Task<RegionSnapshot> ForRegionAsync(string code)
    {
        var directory = grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);
        var node = RegionNode.Find(await directory.GetTreeAsync(), code) ?? throw CommandException.NotFound("Region", code);
        var index = await regions.GetAsync();

        var venueIds = await directory.GetVenueIdsAsync(code);
        var venues = (await Task.WhenAll(venueIds.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()))).OfType<VenueInfo>().ToList();

        var sessions = new List<SessionSnapshot>();
        foreach (var summary in await grains.GetGrain<ISessionIndexGrain>(ISessionIndexGrain.DefaultKey).ListAsync())
        {
            if (summary.State != SessionPhase.Ended && index.ScopeOfVenues(summary.VenueIds).Contains(code))
            {
                sessions.Add(await grains.GetGrain<ISessionGrain>(summary.Id).GetAsync());
            }
        }

        var incidentIds = await grains.GetGrain<IIncidentIndexGrain>(IIncidentIndexGrain.DefaultKey).ListAsync();
        var incidents = (await Task.WhenAll(incidentIds.Select(id => grains.GetGrain<IIncidentGrain>(id).GetAsync())))
            .Where(i => index.IsWithin(i.RegionCode, code))
            .ToList();

        var bookings = (await grains.GetGrain<IScheduleGrain>(IScheduleGrain.DefaultKey).ListAsync())
            .Where(b => !b.Cancelled && index.ScopeOfVenues(b.Request.VenueIds.Prepend(b.Request.ChairVenueId)).Contains(code))
            .ToList();

        return new RegionSnapshot(node, venues, sessions, incidents, bookings);
    }
}
