namespace MediaBridge.Legs;

/// <summary>What a kind of leg may ask about the legs of the other kinds.</summary>
public interface ILegRoster
{
    /// <summary>Whether a kind that takes precedence over <paramref name="kind"/> holds the venue in the session, so <paramref name="kind"/> leaves it be.</summary>
    bool HeldBefore(ILegKind kind, string sessionId, string venueId);

    /// <summary>The venues of a session that have a leg of any kind up or coming up.</summary>
    IReadOnlySet<string> LiveVenues(string sessionId);

    /// <summary>The venues of a session whose leg of any kind is connected.</summary>
    IReadOnlySet<string> ConnectedVenues(string sessionId);
}
