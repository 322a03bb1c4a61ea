using Command.Contracts.Media;
using Command.Contracts.Venues;

namespace Command.Grains.Venues;

/// <summary>
/// What bridges last said about a venue, each fact with the time it lapses unless said again. Kept
/// in memory only, so a reactivated venue knows nothing until the bridges repeat themselves.
/// </summary>
public sealed class VenueLiveFacts
{
    private readonly Dictionary<string, DateTimeOffset> registrations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Session, string Bridge), DateTimeOffset> connected = [];

    public bool Registered => registrations.Count > 0;

    public IEnumerable<string> ConnectedSessions => connected.Keys.Select(k => k.Session);

    /// <summary>A bridge the terminal is registered at (the same one while it lasts).</summary>
    public string? Bridge => registrations.Keys.Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>When the next fact lapses, or null with none held.</summary>
    public DateTimeOffset? NextLapse =>
        registrations.Values.Concat(connected.Values).Select(v => (DateTimeOffset?)v).Min();

    public void Apply(VenueRegistration registration, DateTimeOffset now)
    {
        if (registration.Registered && registration.Lease > TimeSpan.Zero)
        {
            registrations[registration.BridgeId] = now + registration.Lease;
        }
        else
        {
            registrations.Remove(registration.BridgeId);
        }
    }

    public void Apply(VenueLeg leg, DateTimeOffset now)
    {
        var key = (leg.SessionId, leg.BridgeId);
        if (leg.State == LegState.Connected && leg.Lease > TimeSpan.Zero)
        {
            connected[key] = now + leg.Lease;
        }
        else
        {
            connected.Remove(key);
        }
    }

    /// <summary>Forgets every fact whose time is up.</summary>
    public void Lapse(DateTimeOffset now)
    {
        foreach (var bridge in registrations.Where(r => r.Value <= now).Select(r => r.Key).ToList())
        {
            registrations.Remove(bridge);
        }

        foreach (var key in connected.Where(c => c.Value <= now).Select(c => c.Key).ToList())
        {
            connected.Remove(key);
        }
    }
}
