using System.Globalization;
using System.Net;

namespace MediaBridge.Sip.Dialogs;

/// <summary>
/// A dialog (RFC 3261 §12): Call-ID and both tags, the remote target and route set, and the local
/// and remote CSeq counters. Requests within it are built as §12.2.1.1 says. Over UDP every request
/// goes to the address the peer last spoke from, not to a host its headers name.
/// </summary>
public sealed class SipDialog(string callId, string localTag, string localUri, string remoteUri, string remoteTarget, IPEndPoint remote, bool reliable)
{
    public string CallId { get; } = callId;

    public string LocalTag { get; } = localTag;

    public string? RemoteTag { get; set; }

    public string LocalUri { get; } = localUri;

    public string RemoteUri { get; } = remoteUri;

    /// <summary>The peer's Contact: the Request-URI of every request in the dialog (§12.1.1, §12.1.2).</summary>
    public string RemoteTarget { get; set; } = remoteTarget;

    /// <summary>Record-Route as the peer's side saw it, in the order requests follow it (§12.1.1, §12.1.2).</summary>
    public IReadOnlyList<string> RouteSet { get; set; } = [];

    public IPEndPoint Remote { get; set; } = remote;

    public bool Reliable { get; } = reliable;

    public uint LocalSequence { get; private set; }

    public uint? RemoteSequence { get; set; }

    /// <summary>Whether a request with this CSeq is new in the dialog (§12.2.2: lower ones are out of order).</summary>
    public bool AcceptRemote(uint sequence)
    {
        if (RemoteSequence is { } last && sequence <= last)
        {
            return false;
        }

        RemoteSequence = sequence;
        return true;
    }

    /// <summary>A request within the dialog; ACK reuses the INVITE's sequence number (§13.2.2.4), others take the next.</summary>
    public SipRequest Request(string method, string via, string? contact, IEnumerable<SipHeader>? extra = null, ReadOnlyMemory<byte> body = default, uint? sequence = null)
    {
        var number = sequence ?? ++LocalSequence;
        var headers = new List<SipHeader>
        {
            new(HeaderNames.Via, via),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.From, $"<{LocalUri}>;tag={LocalTag}"),
            new(HeaderNames.To, RemoteTag is null ? $"<{RemoteUri}>" : $"<{RemoteUri}>;tag={RemoteTag}"),
            new(HeaderNames.CallId, CallId),
            new(HeaderNames.CSeq, string.Create(CultureInfo.InvariantCulture, $"{number} {method}")),
        };
        headers.AddRange(RouteSet.Select(r => new SipHeader(HeaderNames.Route, r)));
        if (contact is not null)
        {
            headers.Add(new SipHeader(HeaderNames.Contact, contact));
        }

        headers.Add(new SipHeader(HeaderNames.UserAgent, SipResponses.Agent));
        headers.AddRange(extra ?? []);
        return new SipRequest(method, RemoteTarget, "SIP/2.0", new SipHeaders(headers), body);
    }
}
