using System.Net;
using System.Net.Sockets;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Legs.Calls;

/// <summary>
/// What the call classes share: the calls by Call-ID, the newest plan of each session, the SIP
/// and media layers, and the bridge's own addresses. Callers hold <see cref="Gate"/> while they
/// read or change calls and plans; sends happen after it is released where the order allows.
/// </summary>
public sealed class CallBook(
    SipTransactionLayer transactions,
    ISipSender sender,
    MediaEngine media,
    IVenueDirectory venues,
    ILegEvents events,
    ConferencePlans plans,
    TimeProvider time,
    IPEndPoint sipEndPoint,
    string? publicAddress) : ISipPeers
{
    public Lock Gate { get; } = new();

    /// <summary>True when a call's dialog is with this address.</summary>
    public bool IsKnown(IPAddress address)
    {
        lock (Gate)
        {
            return Calls.Values.Any(c => c.Dialog.Remote.Address.Equals(address));
        }
    }

    public Dictionary<string, Call> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>The sessions' newest plans, which every kind of leg shares.</summary>
    public ConferencePlans Plans { get; } = plans;

    /// <summary>When and why each venue's last call in a session failed or dropped, so redials wait a while.</summary>
    public Dictionary<(string Session, string Venue), (DateTimeOffset At, string Reason)> Setbacks { get; } = [];

    /// <summary>Failed or dropped calls in a row per venue, cleared when a call connects; sets how soon the next try comes.</summary>
    public Dictionary<(string Session, string Venue), int> Strikes { get; } = [];

    public SipTransactionLayer Transactions { get; } = transactions;

    public ISipSender Sender { get; } = sender;

    public MediaEngine Media { get; } = media;

    public IVenueDirectory Venues { get; } = venues;

    public ILegEvents Events { get; } = events;

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();

    public Call? Find(string sessionId, string venueId) =>
        Calls.Values.FirstOrDefault(c => c.SessionId == sessionId && c.VenueId == venueId && c.State is LegState.Calling or LegState.Connected);

    /// <summary>
    /// The address this bridge gives a peer for SIP and media: the configured public address, the
    /// bound address, or, bound to every interface, the local address the system routes to that peer by.
    /// </summary>
    public string AddressFor(IPAddress peer)
    {
        if (publicAddress is { Length: > 0 })
        {
            return publicAddress;
        }

        if (!sipEndPoint.Address.Equals(IPAddress.Any) && !sipEndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            return sipEndPoint.Address.ToString();
        }

        try
        {
            using var probe = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(peer, 9));
            return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return IPAddress.Loopback.ToString();
        }
    }

    public string Via(IPAddress peer, bool reliable) =>
        $"SIP/2.0/{(reliable ? "TCP" : "UDP")} {SentBy(peer)};branch={ViaHeader.MagicCookie}{SipResponses.NewTag()};rport";

    public string Contact(IPAddress peer, bool reliable) =>
        $"<sip:bridge@{SentBy(peer)}{(reliable ? ";transport=tcp" : "")}>";

    /// <summary>The bridge's SDP for a leg: its offer, or its answer to the peer's offer.</summary>
    public SessionDescription Offer(Call call, IPAddress peer) =>
        SdpOffers.Create(AddressFor(peer), call.Media.Audio.Path.LocalPort, call.Media.Video.Path.LocalPort,
            Media.VideoCodecOf(call.SessionId), call.SdpSessionId, call.SdpVersion);

    public void Report(Call call, LegState state, string? reason)
    {
        call.State = state;
        var key = (call.SessionId, call.VenueId);
        if (state is LegState.Failed or LegState.Dropped)
        {
            Setbacks[key] = (Now, reason ?? state.ToString());
            Strikes[key] = Strikes.GetValueOrDefault(key) + 1;
        }
        else if (state == LegState.Connected)
        {
            Strikes.Remove(key);
        }

        Events.Changed(call.SessionId, call.VenueId, state, reason);
    }

    /// <summary>Ends a call's media and forgets it; the dialog, if any, must already be closed.</summary>
    public void Release(Call call)
    {
        Calls.Remove(call.Dialog.CallId);
        ReleaseMedia(call);
    }

    public void ReleaseMedia(Call call)
    {
        if (call.MediaReleased)
        {
            return;
        }

        call.MediaReleased = true;
        Media.Remove(call.Media);
        if (Plans.Find(call.SessionId) is null && !Calls.Values.Any(c => c.SessionId == call.SessionId && !c.MediaReleased))
        {
            Media.Close(call.SessionId);
        }
    }

    /// <summary>Hangs up a call wherever it stands: BYE when up, CANCEL while ringing (§9.1), or later if not yet possible.</summary>
    public void HangUp(Call call, LegState state, string reason)
    {
        if (call.State == LegState.Calling && !call.Inbound && call.Invite is { } invite)
        {
            // The call stays on the books until the INVITE's final answer, which a 2xx must still be ACKed and ended with BYE.
            if (call.Provisional)
            {
                Transactions.Send(Cancel(invite.Request), call.Dialog.Remote, call.Dialog.Reliable);
            }

            call.HangUpWhenAnswered = true;
            Report(call, state, reason);
            ReleaseMedia(call);
            return;
        }

        var bye = call.Dialog.Request("BYE", Via(call.Dialog.Remote.Address, call.Dialog.Reliable), null);
        Transactions.Send(bye, call.Dialog.Remote, call.Dialog.Reliable);
        Report(call, state, reason);
        Release(call);
    }

    /// <summary>§9.1: CANCEL copies the INVITE's Request-URI, Call-ID, To, From, CSeq number and top Via.</summary>
    private static SipRequest Cancel(SipRequest invite)
    {
        var number = CSeqHeader.TryParse(invite.Headers[HeaderNames.CSeq] ?? "", out var c) ? c.Number : 1;
        var headers = new List<SipHeader>
        {
            new(HeaderNames.Via, HeaderText.SplitTopLevel(invite.Headers[HeaderNames.Via]!, ',')[0]),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.From, invite.Headers[HeaderNames.From] ?? ""),
            new(HeaderNames.To, invite.Headers[HeaderNames.To] ?? ""),
            new(HeaderNames.CallId, invite.CallId ?? ""),
            new(HeaderNames.CSeq, $"{number} CANCEL"),
        };
        return new SipRequest("CANCEL", invite.RequestUri, "SIP/2.0", new SipHeaders(headers), ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>The host:port this bridge writes in Via and Contact for a peer; keep-alives use it too.</summary>
    public string SentBy(IPAddress peer)
    {
        var host = AddressFor(peer);
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{sipEndPoint.Port}" : $"{host}:{sipEndPoint.Port}";
    }
}
