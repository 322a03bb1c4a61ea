using System.Globalization;

namespace MediaBridge.Sip;

/// <summary>
/// The bridge's front door for SIP bytes. A request is checked in the order of RFC 3261 §8.2
/// (malformed → 400, wrong version → 505, method → 405/501, URI scheme → 416, Require → 420,
/// body type → 415, Accept → 406) before any registrar or dialog code sees it. Nothing here
/// throws on input.
/// </summary>
public sealed record SipAdmission(SipAdmissionOutcome Outcome, AdmittedRequest? Request = null, SipResponse? Response = null, SipResponse? Reply = null, string? Reason = null)
{
    /// <summary>What the bridge implements; also its Allow header.</summary>
    public static readonly IReadOnlyList<string> Supported = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO"];

    /// <summary>Methods defined by SIP RFCs that the bridge knows of but does not serve (405, not 501).</summary>
    private static readonly HashSet<string> KnownElsewhere = ["PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER", "UPDATE"];

    private static readonly string[] Singletons = [HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.From, HeaderNames.To, HeaderNames.MaxForwards, HeaderNames.ContentType, HeaderNames.Expires];

    /// <summary>User-Agent marks of SIP scanners and war-diallers; they get no answer at all, so they learn nothing.</summary>
    private static readonly string[] Scanners = ["friendly-scanner", "sipvicious", "sipcli", "sip-scan", "sipsak", "vaxsipuseragent", "iwar", "sivus", "sundayddr", "pplsip"];

    public static SipAdmission Admit(ReadOnlySpan<byte> data, bool datagram)
    {
        if (!SipParser.TryParse(data, datagram, out var message, out var error))
        {
            return error.Partial is { } partial && partial.Headers.Count(HeaderNames.Via) > 0 && !IsScanner(partial)
                ? Refuse(partial, error.Status, error.Reason)
                : new SipAdmission(SipAdmissionOutcome.Drop, Reason: error.Reason);
        }

        if (IsScanner(message))
        {
            return new SipAdmission(SipAdmissionOutcome.Drop, Reason: "Scanner user agent");
        }

        if (message is SipResponse response)
        {
            return new SipAdmission(SipAdmissionOutcome.Response, Response: response);
        }

        var request = (SipRequest)message;
        if (request.Headers.Count(HeaderNames.Via) == 0)
        {
            return new SipAdmission(SipAdmissionOutcome.Drop, Reason: "No Via: nowhere to answer");
        }

        return Check(request);
    }

    private static SipAdmission Check(SipRequest request)
    {
        if (Malformed(request, out var admitted) is { } problem)
        {
            return Refuse(request, 400, problem);
        }

        if (!Supported.Contains(request.Method))
        {
            var allow = new SipHeader(HeaderNames.Allow, string.Join(", ", Supported));
            return KnownElsewhere.Contains(request.Method)
                ? Refuse(request, 405, $"{request.Method} is not served here", allow)
                : Refuse(request, 501, $"Unknown method {request.Method}", allow);
        }

        if (!admitted.RequestUri.IsSip && admitted.RequestUri.Scheme != "tel")
        {
            return Refuse(request, 416, $"Unsupported URI scheme {admitted.RequestUri.Scheme}");
        }

        if (request.Method is not ("ACK" or "CANCEL"))
        {
            var required = request.Headers.Elements(HeaderNames.Require).Where(t => t.Length > 0).ToList();
            if (required.Count > 0)
            {
                return Refuse(request, 420, "Unsupported extension", new SipHeader(HeaderNames.Unsupported, string.Join(", ", required)));
            }
        }

        if (!request.Body.IsEmpty && request.Method is "INVITE" or "ACK")
        {
            var type = (request.Headers[HeaderNames.ContentType] ?? "").Split(';')[0].Trim();
            if (!string.Equals(type, "application/sdp", StringComparison.OrdinalIgnoreCase))
            {
                return Refuse(request, 415, $"Body type {type} is not understood", new SipHeader(HeaderNames.Accept, "application/sdp"));
            }
        }

        if (request.Method == "INVITE" && request.Headers.Count(HeaderNames.Accept) > 0 && !AcceptsSdp(request.Headers.Elements(HeaderNames.Accept)))
        {
            return Refuse(request, 406, "The answer would be application/sdp, which Accept excludes");
        }

        return new SipAdmission(SipAdmissionOutcome.Request, Request: admitted);
    }

    /// <summary>RFC 3261 §8.2 and §20 rules on the headers every request needs; null when well formed.</summary>
    private static string? Malformed(SipRequest request, out AdmittedRequest admitted)
    {
        admitted = null!;
        foreach (var name in Singletons)
        {
            if (request.Headers.Count(name) > 1)
            {
                return $"More than one {name} header";
            }
        }

        var vias = new List<ViaHeader>();
        foreach (var value in request.Headers.Elements(HeaderNames.Via))
        {
            if (!ViaHeader.TryParse(value, out var via))
            {
                return "Malformed Via";
            }

            if (via.Branch == ViaHeader.MagicCookie)
            {
                return "Via branch is only the magic cookie";
            }

            vias.Add(via);
        }

        if (request.Headers[HeaderNames.CallId] is not { Length: > 0 } callId)
        {
            return "Missing Call-ID";
        }

        if (!TryAddress(request, HeaderNames.From, out var from) || !TryAddress(request, HeaderNames.To, out var to))
        {
            return "Missing or malformed From or To";
        }

        if (request.Headers[HeaderNames.CSeq] is not { } cseqText || !CSeqHeader.TryParse(cseqText, out var cseq))
        {
            return "Missing or malformed CSeq";
        }

        if (cseq.Method != request.Method)
        {
            return $"CSeq method {cseq.Method} does not match {request.Method}";
        }

        int? maxForwards = null;
        if (request.Headers[HeaderNames.MaxForwards] is { } mf)
        {
            if (!int.TryParse(mf, NumberStyles.None, CultureInfo.InvariantCulture, out var hops) || hops > 255)
            {
                return "Malformed Max-Forwards";
            }

            maxForwards = hops;
        }

        if (request.Headers[HeaderNames.Expires] is { } expires
            && (!ulong.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > uint.MaxValue))
        {
            return "Malformed Expires";
        }

        if (!SipUri.TryParse(request.RequestUri, out var uri))
        {
            return "Malformed Request-URI";
        }

        if (uri.Headers.Count > 0)
        {
            return "A Request-URI may not carry headers";
        }

        var contacts = new List<NameAddress>();
        var wildcard = false;
        foreach (var value in request.Headers.Elements(HeaderNames.Contact))
        {
            if (value == "*")
            {
                wildcard = true;
            }
            else if (NameAddress.TryParse(value, out var contact))
            {
                contacts.Add(contact);
            }
            else
            {
                return "Malformed Contact";
            }
        }

        if (request.Method == "REGISTER" && !(to.Uri.IsSip && uri.IsSip))
        {
            return "A registration needs SIP URIs in the Request-URI and To";
        }

        if (!request.Body.IsEmpty && request.Headers[HeaderNames.ContentType] is null)
        {
            return "A body needs a Content-Type";
        }

        admitted = new AdmittedRequest(request, uri, vias, from, to, callId, cseq, maxForwards, contacts, wildcard);
        return null;
    }

    private static bool IsScanner(SipMessage message) =>
        message.Headers[HeaderNames.UserAgent] is { } agent && Scanners.Any(s => agent.Contains(s, StringComparison.OrdinalIgnoreCase));

    private static bool TryAddress(SipRequest request, string name, out NameAddress address)
    {
        address = null!;
        return request.Headers[name] is { } value && NameAddress.TryParse(value, out address);
    }

    private static bool AcceptsSdp(IEnumerable<string> accepted) =>
        accepted.Select(a => a.Split(';')[0].Trim().ToLowerInvariant())
            .Any(a => a is "application/sdp" or "application/*" or "*/*" or "");

    private static SipAdmission Refuse(SipRequest request, int status, string why, params SipHeader[] extra)
    {
        if (request.Method == "ACK")
        {
            // An ACK is never answered (RFC 3261 §17.2.3); a bad one is dropped.
            return new SipAdmission(SipAdmissionOutcome.Drop, Reason: why);
        }

        var warning = new SipHeader(HeaderNames.Warning, $"399 bridge \"{why.Replace("\"", "'", StringComparison.Ordinal)}\"");
        var reply = SipResponses.For(request, status, extra: [.. extra, warning]);
        return new SipAdmission(SipAdmissionOutcome.Reply, Reply: reply, Reason: why);
    }
}
