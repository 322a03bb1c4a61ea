using System.Collections.Immutable;
using Command.Contracts.Realtime;
using Command.Web.Regions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Command.Web.Realtime;

/// <summary>
/// This web host's observer: registered with the cluster (and re-registered on a timer, since
/// observers do not survive a silo loss), it turns each change into pushes to the SignalR groups
/// whose region, session or incident the change touches.
/// </summary>
public sealed partial class RealtimeRelay(
    IGrainFactory grains, IHubContext<CommandHub, ICommandHubClient> hub, RegionCache regions, ILogger<RealtimeRelay> logger)
    : BackgroundService, ICommandObserver
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private readonly string hostId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public async Task OnEventsAsync(ImmutableArray<CommandEvent> events)
    {
        try
        {
            var index = await regions.GetAsync();
            foreach (var e in events)
            {
                await RelayAsync(e, index);
            }
        }
        catch (Exception e)
        {
            LogRelayFailed(e, events.Length);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = grains.CreateObjectReference<ICommandObserver>(this);
        var registry = grains.GetGrain<IRealtimeHubsGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await registry.RegisterAsync(hostId, self);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRegisterFailed(e);
                }

                await Task.Delay(Refresh, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            try
            {
                await registry.UnregisterAsync(hostId).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogRegisterFailed(e);
            }

            grains.DeleteObjectReference<ICommandObserver>(self);
        }
    }

    private Task RelayAsync(CommandEvent e, RegionIndex index)
    {
        switch (e)
        {
            case { Venue: { } venue }:
                return hub.Clients.Groups(RegionGroups(index.SelfAndAncestors(venue.RegionCode))).VenueChanged(new VenueChange(e.Seq, venue));
            case { Session: { } session }:
                var sessionGroups = RegionGroups(index.ScopeOf(session));
                sessionGroups.Add(HubGroups.Session(session.Id));
                if (session.IncidentId is { } incidentId)
                {
                    sessionGroups.Add(HubGroups.Incident(incidentId));
                }

                return hub.Clients.Groups(sessionGroups).SessionChanged(new SessionChange(e.Seq, session));
            case { Incident: { } incident }:
                var incidentGroups = RegionGroups(index.SelfAndAncestors(incident.RegionCode));
                incidentGroups.Add(HubGroups.Incident(incident.Id));
                return hub.Clients.Groups(incidentGroups).IncidentChanged(new IncidentChange(e.Seq, incident));
            case { Booking: { } booking }:
                var venues = booking.Request.VenueIds.Prepend(booking.Request.ChairVenueId);
                return hub.Clients.Groups(RegionGroups(index.ScopeOfVenues(venues))).BookingChanged(new BookingChange(e.Seq, booking));
            case { Media: { } media }:
                var mediaGroups = RegionGroups(index.ScopeOfVenues(media.Legs.Select(l => l.VenueId)));
                mediaGroups.Add(HubGroups.Session(media.SessionId));
                return hub.Clients.Groups(mediaGroups).MediaChanged(new MediaChange(e.Seq, media));
            case { Move: { } move }:
                var moveGroups = RegionGroups(index.ScopeOfVenues(move.VenueIds));
                moveGroups.Add(HubGroups.Session(move.SessionId));
                return hub.Clients.Groups(moveGroups).MediaMoved(new MediaMove(e.Seq, move.SessionId, move.FromBridge, move.ToBridge, move.Reason));
            case { Uplink: { } uplink }:
                // Uplinks belong to the whole deployment, not to a region: every signed-in dashboard may show them.
                return hub.Clients.All.UplinkChanged(new UplinkChange(e.Seq, uplink));
            case { Recording: { } recording }:
                List<string> recordingGroups = [HubGroups.Session(recording.SessionId)];
                if (recording.IncidentId is { } recordingIncident)
                {
                    recordingGroups.Add(HubGroups.Incident(recordingIncident));
                }

                return hub.Clients.Groups(recordingGroups).RecordingChanged(new RecordingChange(e.Seq, recording));
            default:
                return Task.CompletedTask;
        }
    }

    private static List<string> RegionGroups(IEnumerable<string> codes) => [.. codes.Select(HubGroups.Region)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying {Count} changes to SignalR failed")]
    private partial void LogRelayFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering for changes with the cluster failed; retrying")]
    private partial void LogRegisterFailed(Exception e);
}
