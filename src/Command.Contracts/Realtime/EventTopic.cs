namespace Command.Contracts.Realtime;

[GenerateSerializer, Alias("command.event-topic")]
public enum EventTopic
{
    Venue,
    Session,
    Incident,
    Booking,
    Media,
    MediaMoved,
    Uplink,
    Recording,
}
