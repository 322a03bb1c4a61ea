namespace Command.Contracts.Sessions;

/// <summary>
/// One venue of a deployment below, as that deployment reports it over the cascade link (docs/cascade.md):
/// its id and name there, its <see cref="Status"/> in the relay session (a lower-case participant status, or
/// <c>connected</c> for a joined venue whose media is up), and whether it is the one sent up now.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.remote-venue")]
public sealed record RemoteVenue(
    [property: Id(0)] string VenueId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] bool Sending)
{
    /// <summary>The most venues a roster carries.</summary>
    public const int MaxVenues = 200;

    /// <summary>The longest venue id.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The longest name; longer names are cut.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest status word.</summary>
    public const int MaxStatusLength = 20;

    /// <summary>The status of a joined venue whose media is up on the bridge below.</summary>
    public const string Connected = "connected";

    /// <summary>Whether the venue may be sent up: held by the relay session below.</summary>
    public bool CanBeSentUp() => Status is "joined" or Connected;

    /// <summary>Whether the fields are within the bounds a roster allows.</summary>
    public bool IsWithinBounds() =>
        VenueId is { Length: > 0 and <= MaxIdLength } && Name is { Length: <= MaxNameLength } && Status is { Length: > 0 and <= MaxStatusLength };
}
