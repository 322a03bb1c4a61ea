namespace MediaBridge.Sip;

/// <summary>
/// Why bytes are not a usable message. For a request, <see cref="Status"/> is the response to send
/// (400 or 505) when enough of the message was read to address one; a response is never answered.
/// </summary>
public sealed record SipParseError(int Status, string Reason, SipRequest? Partial = null);
