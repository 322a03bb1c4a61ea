using Command.Contracts.Venues;
using MediaBridge.Sip.Registrar;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Turns registrations into venue status in the grains: this bridge reports each terminal registered
/// for a lease, repeats it every keep-alive round, and reports it gone when its binding is.
/// </summary>
public sealed partial class GrainPresenceSink(IGrainFactory grains, VenueCredentials venues, ILogger<GrainPresenceSink> logger) : IPresenceSink
{
    private readonly GrainOutbox outbox = new(logger, attempts: 1);

    /// <summary>This bridge's name in the cluster, set before the registrar starts.</summary>
    public string BridgeId { get; set; } = "";

    /// <summary>How long a report holds unless repeated: a few keep-alive rounds.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    public void Registered(SipBinding binding)
    {
        LogPresence(binding.User, true, "registered");
        Report(binding.User, true);
    }

    public void StillRegistered(SipBinding binding) => Report(binding.User, true);

    public void Unregistered(string user, string reason)
    {
        LogPresence(user, false, reason);
        Report(user, false);
    }

    public Task RunAsync(CancellationToken cancel) => outbox.RunAsync(cancel);

    private void Report(string sipUser, bool registered)
    {
        if (venues.Find(sipUser) is not { } venue)
        {
            return;
        }

        var report = new VenueRegistration(BridgeId, registered, Lease);
        outbox.Post($"Reporting the presence of venue {venue.Id}", () => grains.GetGrain<IVenueGrain>(venue.Id).ReportRegistrationAsync(report));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminal {SipUser} registered: {Online} ({Reason})")]
    private partial void LogPresence(string sipUser, bool online, string reason);
}
