namespace Command.Grains.Sessions;

/// <summary>
/// Venues a session has asked for but not yet recorded. While a claim is in flight the venue
/// may ask whether the session holds it; the answer must be yes, or the claim could be stolen.
/// </summary>
internal sealed class VenueClaims
{
    private readonly HashSet<string> pending = new(StringComparer.Ordinal);

    public void Add(string venueId) => pending.Add(venueId);

    public void Remove(string venueId) => pending.Remove(venueId);

    public bool IsPending(string venueId) => pending.Contains(venueId);

    public void Clear() => pending.Clear();
}
