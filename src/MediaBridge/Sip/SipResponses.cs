using System.Security.Cryptography;

namespace MediaBridge.Sip;

/// <summary>
/// Builds a response to a request as a UAS does (RFC 3261 §8.2.6): Via, From, Call-ID and CSeq
/// copied as received, To copied with a tag added when it has none.
/// </summary>
public static class SipResponses
{
    public const string Agent = "Command MediaBridge";

    public static SipResponse For(SipRequest request, int status, string? reason = null, IEnumerable<SipHeader>? extra = null, string? toTag = null)
    {
        var headers = new List<SipHeader>();
        foreach (var via in request.Headers.Values(HeaderNames.Via))
        {
            headers.Add(new SipHeader(HeaderNames.Via, via));
        }

        if (request.Headers[HeaderNames.From] is { } from)
        {
            headers.Add(new SipHeader(HeaderNames.From, from));
        }

        if (request.Headers[HeaderNames.To] is { } to)
        {
            var tagged = status > 100 && !HasTag(to) ? $"{to};tag={toTag ?? NewTag()}" : to;
            headers.Add(new SipHeader(HeaderNames.To, tagged));
        }

        if (request.Headers[HeaderNames.CallId] is { } callId)
        {
            headers.Add(new SipHeader(HeaderNames.CallId, callId));
        }

        if (request.Headers[HeaderNames.CSeq] is { } cseq)
        {
            headers.Add(new SipHeader(HeaderNames.CSeq, cseq));
        }

        headers.AddRange(extra ?? []);
        headers.Add(new SipHeader(HeaderNames.Server, Agent));
        return new SipResponse(status, reason ?? ReasonPhrases.For(status), new SipHeaders(headers), ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>A tag of 64 random bits (RFC 3261 §19.3 asks for at least 32).</summary>
    public static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static bool HasTag(string to) =>
        NameAddress.TryParse(to, out var address) ? address.Tag is not null : to.Contains(";tag=", StringComparison.OrdinalIgnoreCase);
}
