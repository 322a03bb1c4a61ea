namespace Command.Contracts.Media;

/// <summary>How a bridge answered a watch.</summary>
[GenerateSerializer, Alias("command.watch-status")]
public enum WatchStatus
{
    Watching,

    /// <summary>The offer is not SDP the bridge can answer with the picture (no video it can send, or not receiving).</summary>
    BadOffer,

    /// <summary>No such feed, or the venue is not one of the session's venues.</summary>
    NotFound,

    /// <summary>The session is not live on any bridge.</summary>
    NotLive,

    /// <summary>No venue of the session sends a picture yet, so the session has no video codec a watch could take.</summary>
    NoPicture,

    /// <summary>No bridge could take the watch now; worth trying again shortly.</summary>
    Unavailable,
}
