using Command.Contracts.Venues;
using MediaBridge.Sip.Registrar;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>Turns registrations into venue status in the grains: online with a binding, offline without.</summary>
public sealed partial class GrainPresenceSink(IGrainFactory grains, VenueCredentials venues, ILogger<GrainPresenceSink> logger) : IPresenceSink
{
    public void Registered(SipBinding binding) => _ = SetAsync(binding.User, true, "registered");

    public void Unregistered(string user, string reason) => _ = SetAsync(user, false, reason);

    private async Task SetAsync(string sipUser, bool online, string reason)
    {
        if (venues.Find(sipUser) is not { } venue)
        {
            return;
        }

        try
        {
            await grains.GetGrain<IVenueGrain>(venue.Id).SetPresenceAsync(online);
            LogPresence(venue.Id, sipUser, online, reason);
        }
        catch (Exception e)
        {
            LogPresenceFailed(e, venue.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Venue {VenueId} ({SipUser}) online: {Online} ({Reason})")]
    private partial void LogPresence(string venueId, string sipUser, bool online, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the presence of venue {VenueId}")]
    private partial void LogPresenceFailed(Exception e, string venueId);
}
