using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.WebRtc;

namespace MediaBridge.Legs.Browsers;

/// <summary>A browser venue's leg: its id in the WHIP resource URL, its conference leg and its transport.</summary>
public sealed class BrowserLeg(string id, ConferenceLeg media, WebRtcTransport transport)
{
    public string Id { get; } = id;

    public ConferenceLeg Media { get; } = media;

    public WebRtcTransport Transport { get; } = transport;

    public string SessionId => Media.SessionId;

    public string VenueId => Media.VenueId;

    public LegState State { get; set; } = LegState.Calling;

    public bool Released { get; set; }
}
