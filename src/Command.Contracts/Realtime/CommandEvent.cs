using Command.Contracts.Cascade;
using Command.Contracts.Incidents;
using Command.Contracts.Media;
using Command.Contracts.Recordings;
using Command.Contracts.Schedules;
using Command.Contracts.Sessions;
using Command.Contracts.Venues;

namespace Command.Contracts.Realtime;

/// <summary>
/// A changed entity as it now stands. <see cref="Seq"/> is the entity's version, so a client that
/// holds a newer one drops this event; exactly one of the snapshots is set, as <see cref="Topic"/> says.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.event")]
public sealed record CommandEvent(
    [property: Id(0)] EventTopic Topic,
    [property: Id(1)] string Id,
    [property: Id(2)] long Seq,
    [property: Id(3)] VenueInfo? Venue = null,
    [property: Id(4)] SessionSnapshot? Session = null,
    [property: Id(5)] IncidentSnapshot? Incident = null,
    [property: Id(6)] BookingSnapshot? Booking = null,
    [property: Id(7)] SessionMedia? Media = null,
    [property: Id(8)] BridgeMove? Move = null,
    [property: Id(9)] UplinkView? Uplink = null)
{
    /// <summary>A recording that started, grew, paused for the disk floor, resumed or ended.</summary>
    [Id(10)]
    public RecordingInfo? Recording { get; init; }

    public static CommandEvent For(RecordingInfo recording) => new(EventTopic.Recording, recording.Id, recording.Version) { Recording = recording };

    public static CommandEvent For(VenueInfo venue) => new(EventTopic.Venue, venue.Id, venue.Version, Venue: venue);

    public static CommandEvent For(SessionSnapshot session) => new(EventTopic.Session, session.Id, session.Version, Session: session);

    public static CommandEvent For(IncidentSnapshot incident) => new(EventTopic.Incident, incident.Id, incident.Version, Incident: incident);

    public static CommandEvent For(BookingSnapshot booking) => new(EventTopic.Booking, booking.Id, booking.Version, Booking: booking);

    public static CommandEvent For(SessionMedia media) => new(EventTopic.Media, media.SessionId, media.Seq, Media: media);

    public static CommandEvent For(BridgeMove move) => new(EventTopic.MediaMoved, move.SessionId, move.Seq, Move: move);

    public static CommandEvent For(UplinkView uplink) => new(EventTopic.Uplink, uplink.Id, uplink.Version, Uplink: uplink);
}
