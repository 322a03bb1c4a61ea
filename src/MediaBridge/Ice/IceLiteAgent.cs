using System.Net;
using System.Text;
using MediaBridge.Stun;

namespace MediaBridge.Ice;

/// <summary>
/// The ICE-lite side of one WebRTC leg (RFC 8445 §2.5): it gathers nothing and sends no checks, only
/// answers the peer's, and with rtcp-mux and BUNDLE there is a single component. A lite agent is
/// always controlled here, so the peer nominates. Consent (RFC 7675) rests on those checks too: the
/// peer keeps sending them on the selected pair, and each valid one renews consent for that address.
/// </summary>
/// <remarks>
/// One receive loop calls <see cref="Handle"/>; <see cref="Selected"/> and <see cref="ConsentExpired"/>
/// may be read from other threads.
/// </remarks>
public sealed class IceLiteAgent
{
    /// <summary>Room the response buffer needs for the largest answer, a 420 listing sixteen attributes.</summary>
    public const int MaxResponseLength = 128;

    private const int MaxUnknown = 16;

    private static readonly long ConsentTimeout = TimeSpan.FromSeconds(30).Ticks;

    private readonly byte[] key;
    private readonly byte[] localPart;
    private readonly byte[]? remotePart;
    private readonly Lock gate = new();
    private IPEndPoint? nominated;
    private IPEndPoint? latest;
    private long consentTicks;

    /// <param name="local">Our credentials, as sent in a=ice-ufrag and a=ice-pwd.</param>
    /// <param name="remoteUfrag">The peer's a=ice-ufrag, or null if it is not known yet.</param>
    public IceLiteAgent(IceCredentials local, string? remoteUfrag)
    {
        Local = local;
        key = Encoding.UTF8.GetBytes(local.Password);
        localPart = Encoding.UTF8.GetBytes(local.Ufrag + ":");
        remotePart = remoteUfrag is null ? null : Encoding.UTF8.GetBytes(remoteUfrag);
    }

    public IceCredentials Local { get; }

    /// <summary>Where media goes: the nominated address if there is one, else the latest that passed a check.</summary>
    public IPEndPoint? Selected
    {
        get
        {
            lock (gate)
            {
                return nominated ?? latest;
            }
        }
    }

    public bool Nominated
    {
        get
        {
            lock (gate)
            {
                return nominated is not null;
            }
        }
    }

    /// <summary>
    /// True once 30 seconds (RFC 7675 §5.1) pass without a valid check from the selected address.
    /// Before any check there is no consent to lose, so it stays false; giving up on a peer that never
    /// connects is the caller's timeout.
    /// </summary>
    public bool ConsentExpired(long nowTicks)
    {
        lock (gate)
        {
            return (nominated ?? latest) is not null && nowTicks - consentTicks >= ConsentTimeout;
        }
    }

    /// <summary>
    /// Answers one datagram as RFC 8445 §7.3 and RFC 8489 §6.3 describe, writing any response into
    /// <paramref name="response"/>, which must hold <see cref="MaxResponseLength"/> bytes. Whatever
    /// the request holds, this does not throw.
    /// </summary>
    public IceOutcome Handle(ReadOnlySpan<byte> request, IPEndPoint from, long nowTicks, Span<byte> response, out int responseLength)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (response.Length < MaxResponseLength)
        {
            throw new ArgumentException($"The response buffer needs {MaxResponseLength} bytes.", nameof(response));
        }

        responseLength = 0;
        if (!StunMessage.TryReadHeader(request, out var type, out var transactionId))
        {
            return new IceOutcome(IceVerdict.NotStun);
        }

        if (type != StunMessageType.BindingRequest)
        {
            return new IceOutcome(IceVerdict.Ignored);
        }

        if (!StunMessage.TryParse(request, out var message))
        {
            return Reject(400, transactionId, authenticated: false, [], response, out responseLength);
        }

        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            return new IceOutcome(IceVerdict.Dropped);
        }

        // RFC 8489 §9.1.3: a request lacking either credential attribute is malformed (400); one
        // carrying wrong credentials is unauthenticated (401). Neither answer carries integrity.
        if (!message.TryGetAttribute(StunAttributeType.Username, out var username) || !message.HasMessageIntegrity)
        {
            return Reject(400, transactionId, authenticated: false, [], response, out responseLength);
        }

        if (!UsernameMatches(username) || !message.VerifyMessageIntegrity(key))
        {
            return Reject(401, transactionId, authenticated: false, [], response, out responseLength);
        }

        // Unknown attributes are looked for only once the request is authenticated (RFC 8489 §6.3).
        Span<ushort> unknown = stackalloc ushort[MaxUnknown];
        var unknownCount = message.CollectUnknownAttributes(unknown);
        if (unknownCount > 0)
        {
            return Reject(420, transactionId, authenticated: true, unknown[..unknownCount], response, out responseLength);
        }

        // A peer that is controlled as well has a role conflict (RFC 8445 §7.3.1.1). A lite agent
        // cannot take the controlling role, so it always answers 487 and the peer switches instead.
        if (message.Has(StunAttributeType.IceControlled))
        {
            return Reject(487, transactionId, authenticated: true, [], response, out responseLength);
        }

        var writer = new StunWriter(response, StunMessageType.BindingSuccessResponse, transactionId);
        writer.AddXorMappedAddress(from);
        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();
        responseLength = writer.Length;
        var changed = Track(from, message.Has(StunAttributeType.UseCandidate), nowTicks);
        return new IceOutcome(IceVerdict.Accepted, SelectionChanged: changed);
    }

    /// <summary>
    /// The peer sends USERNAME as "our ufrag:its ufrag" (RFC 8445 §7.2.2). Our part must match; the
    /// peer's is checked only when the offer told us what it is.
    /// </summary>
    private bool UsernameMatches(ReadOnlySpan<byte> username) =>
        username.StartsWith(localPart)
        && (remotePart is null || username[localPart.Length..].SequenceEqual(remotePart));

    /// <summary>
    /// A check with USE-CANDIDATE nominates its source (RFC 8445 §7.3.1.5), and for a lite agent the
    /// nominated pair is the selected one. The latest nomination wins, so a peer that moves to another
    /// network or NAT binding and nominates from there takes the media with it.
    /// </summary>
    private bool Track(IPEndPoint from, bool useCandidate, long nowTicks)
    {
        lock (gate)
        {
            var before = nominated ?? latest;
            if (!from.Equals(latest))
            {
                latest = new IPEndPoint(from.Address, from.Port);
            }

            if (useCandidate && !from.Equals(nominated))
            {
                nominated = latest;
            }

            var after = nominated ?? latest;
            if (after.Equals(from))
            {
                consentTicks = nowTicks;
            }

            return !after.Equals(before);
        }
    }

    private IceOutcome Reject(int code, ReadOnlySpan<byte> transactionId, bool authenticated, ReadOnlySpan<ushort> unknown, Span<byte> response, out int responseLength)
    {
        var writer = new StunWriter(response, StunMessageType.BindingErrorResponse, transactionId);
        writer.AddErrorCode(code, ReasonPhrase(code));
        if (!unknown.IsEmpty)
        {
            writer.AddUnknownAttributes(unknown);
        }

        if (authenticated)
        {
            writer.AddMessageIntegrity(key);
        }

        writer.AddFingerprint();
        responseLength = writer.Length;
        return new IceOutcome(IceVerdict.Rejected, code);
    }

    private static string ReasonPhrase(int code) => code switch
    {
        400 => "Bad Request",
        401 => "Unauthenticated",
        420 => "Unknown Attribute",
        _ => "Role Conflict",
    };
}
