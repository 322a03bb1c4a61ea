namespace Command.Contracts.Venues;

/// <summary>
/// A venue terminal's SIP registration (RFC 3261 §10.3) as a bridge took it: the contact, the
/// address and transport it registered from, until when, the Call-ID and CSeq that set it, and the bridge.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.registration-binding")]
public sealed record RegistrationBinding(
    [property: Id(0)] string User,
    [property: Id(1)] string Contact,
    [property: Id(2)] string Source,
    [property: Id(3)] bool Reliable,
    [property: Id(4)] DateTimeOffset Expires,
    [property: Id(5)] string CallId,
    [property: Id(6)] uint CSeq,
    [property: Id(7)] string BridgeId);
