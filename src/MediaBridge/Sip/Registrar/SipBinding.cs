using System.Net;

namespace MediaBridge.Sip.Registrar;

/// <summary>
/// Where a venue terminal can be reached (RFC 3261 §10.3): its contact, the address and transport it
/// registered from, and until when. <see cref="TakenBy"/> names the bridge that holds it, when known.
/// </summary>
public sealed record SipBinding(string User, string Contact, IPEndPoint Source, DateTimeOffset Expires, string CallId, uint CSeq, bool Reliable = false, string? TakenBy = null);
