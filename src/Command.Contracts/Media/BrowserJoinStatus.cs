namespace Command.Contracts.Media;

/// <summary>How a bridge answered a browser's join.</summary>
[GenerateSerializer, Alias("command.browser-join-status")]
public enum BrowserJoinStatus
{
    Joined,

    /// <summary>The offer is not SDP the bridge can answer.</summary>
    BadOffer,

    /// <summary>The venue is not one of the session's venues.</summary>
    NotInSession,

    /// <summary>The session is not live on any bridge.</summary>
    NotLive,

    /// <summary>No bridge could take the leg.</summary>
    Unavailable,
}
