namespace Command.Web.Realtime;

/// <summary>What the hub pushes to a dashboard, venue page or tool.</summary>
public interface ICommandHubClient
{
    Task VenueChanged(VenueChange change);

    Task SessionChanged(SessionChange change);

    Task IncidentChanged(IncidentChange change);

    Task BookingChanged(BookingChange change);

    Task MediaChanged(MediaChange change);

    Task MediaMoved(MediaMove move);

    Task UplinkChanged(UplinkChange change);

    Task RecordingChanged(RecordingChange change);
}
