using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Contracts.Sessions;
using Command.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Command.Web.Realtime;

/// <summary>
/// The live channel at <c>/hubs/command</c>. A client subscribes to a region subtree, a session or
/// an incident it has authority over; it is added to the group first and then handed the snapshot,
/// so no change falls between the two (a change seen twice is dropped by its sequence number).
/// </summary>
[Authorize]
public sealed class CommandHub(IGrainFactory grains, Authority authority, RealtimeSnapshots snapshots) : Hub<ICommandHubClient>
{
    public const string Path = "/hubs/command";

    public async Task<RegionSnapshot> SubscribeRegion(string code)
    {
        await authority.EnsureRegionAsync(Context.User!, code);
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Region(code));
        return await snapshots.ForRegionAsync(code);
    }

    public async Task<SessionSnapshot> SubscribeSession(string sessionId)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        await authority.EnsureCanSeeAsync(Context.User!, await session.GetAsync());
        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Session(sessionId));
        return await session.GetAsync();
    }

    public async Task<IncidentSnapshot> SubscribeIncident(string incidentId)
    {
        var incident = grains.GetGrain<IIncidentGrain>(incidentId);
        if (!await authority.CanSeeAsync(Context.User!, await incident.GetAsync()))
        {
            throw CommandException.Forbidden($"Incident {incidentId} is outside your authority.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Incident(incidentId));
        return await incident.GetAsync();
    }

    public Task UnsubscribeRegion(string code) => Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Region(code));

    public Task UnsubscribeSession(string sessionId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Session(sessionId));

    public Task UnsubscribeIncident(string incidentId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, HubGroups.Incident(incidentId));
}
