namespace MediaBridge.Legs.Calls;

/// <summary>Venue ids and the SIP users of their terminals, as the topology pairs them.</summary>
public interface IVenueDirectory
{
    string? SipUserOf(string venueId);

    string? VenueOf(string sipUser);

    string Domain { get; }
}
