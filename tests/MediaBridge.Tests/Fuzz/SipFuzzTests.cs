using System.Globalization;
using System.Text;
using CsCheck;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Tests.Sip;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the SIP front door: the message parser, the header parsers and admission.</summary>
public sealed class SipFuzzTests
{
    private const string Register =
        "REGISTER sip:command.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport\r\n"
        + "Max-Forwards: 70\r\nTo: \"Bob\" <sip:2101@command.example>\r\nFrom: <sip:2101@command.example>;tag=456248\r\n"
        + "Call-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\nContact: <sip:2101@192.0.2.4>;expires=7200, \"x\" <sip:a%20b@[2001:db8::9]:5070;transport=tcp>\r\n"
        + "Authorization: Digest username=\"2101\", realm=\"command\", nonce=\"dcd98b7102dd2f0e\", uri=\"sip:command.example\", response=\"6629fae49393a05397450978507c4ef1\", qop=auth, nc=00000001, cnonce=\"0a4f113b\"\r\n"
        + "Expires: 7200\r\nContent-Length: 0\r\n\r\n";

    private const string Invite =
        "INVITE sip:fs-main@command.example;user=phone SIP/2.0\r\nv: SIP/2.0/TCP client.example:5070;branch=z9hG4bK74bf9 ; received=192.0.2.1\r\n"
        + "Max-Forwards: 69\r\nt: sip:fs-main@command.example\r\nf: Alice <sip:alice@client.example?subject=x>;tag=9fxced76sl\r\n"
        + "i: 3848276298220188511@client.example\r\nCSeq: 2 INVITE\r\nm: <sip:alice@client.example;transport=tcp>\r\nAccept: application/sdp, text/*\r\n"
        + "Content-Type: application/sdp\r\nl: 40\r\n\r\nv=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";

    private const string Response =
        "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7\r\nTo: <sip:2101@command.example>;tag=2493k59kd\r\n"
        + "From: <sip:2101@command.example>;tag=456248\r\nCall-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\n"
        + "WWW-Authenticate: Digest realm=\"command\", nonce=\"dcd98b7102dd2f0e\", qop=\"auth\", algorithm=MD5\r\nContent-Length: 0\r\n\r\n";

    private static readonly byte[][] Seeds =
        [.. TortureSuite.Rows.Keys.Select(TortureSuite.Read), Encoding.UTF8.GetBytes(Register), Encoding.UTF8.GetBytes(Invite), Encoding.UTF8.GetBytes(Response)];

    private static readonly Gen<char> HeaderChar = Gen.Frequency(
        (6, Gen.Char["abcdefghijklmnopqrstuvwxyzABC0189-._~!*+'`"]),
        (4, Gen.Char[" \t<>\"\\;:,=@?&%/[]()"]),
        (1, Gen.Char),
        (1, Gen.Char['\uD800', '\uDFFF']));

    private static readonly Gen<string> HeaderValue = HeaderChar.Array[0, 60].Select(c => new string(c));

    private static readonly Gen<string> Token = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string> Word = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, 10].Select(c => new string(c));

    [Fact]
    public void Mutated_and_random_messages_never_throw_out_of_the_front_door()
    {
        FuzzRun.Check("SIP", "admission never throws", Gen.Select(Mutations.OrBytes(Seeds, 800), Gen.Bool), t =>
        {
            var (bytes, datagram) = t;
            var admission = SipAdmission.Admit(bytes, datagram);
            if (admission.Reply is { } reply)
            {
                Assert.True(SipParser.TryParse(SipWriter.Write(reply), true, out _, out _));
            }

            if (SipParser.TryParse(bytes, datagram, out var message, out _))
            {
                ReadEveryHeader(message);
            }
            else
            {
                Assert.NotEqual(SipAdmissionOutcome.Request, admission.Outcome);
                Assert.NotEqual(SipAdmissionOutcome.Response, admission.Outcome);
            }
        }, ciCases: 20_000, print: t => FuzzRun.Literal(t.Item1) + (t.Item2 ? " datagram" : " stream"));
    }

    [Fact]
    public void Header_parsers_never_throw_on_any_text()
    {
        FuzzRun.Check("SIP", "header parsers never throw", HeaderValue, value =>
        {
            _ = SipUri.TryParse(value, out _);
            _ = SipUri.TryParse("sip:" + value, out _);
            _ = SipUri.TryParseHostPort(value, out _, out _);
            _ = ViaHeader.TryParse("SIP/2.0/UDP " + value, out _);
            _ = ViaHeader.TryParse(value, out _);
            _ = NameAddress.TryParse(value, out _);
            _ = NameAddress.TryParse("<sip:a@b>;" + value, out _);
            _ = CSeqHeader.TryParse(value, out _);
            _ = DigestCredentials.TryParse("Digest " + value, out _);
        }, ciCases: 20_000, print: FuzzRun.Literal);
    }

    [Fact]
    public void Long_runs_of_separators_are_read_in_linear_time()
    {
        var gen = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Char[";,<\"%: \t=@?&/a"].Array[1, 3], Gen.Int[1_000, 20_000], Gen.UInt);
        FuzzRun.Check("SIP", "long input in bounded time", gen, t =>
        {
            var (seed, run, repeat, position) = t;
            var text = Encoding.UTF8.GetString(Seeds[seed]);
            var at = (int)(position % (uint)Math.Max(1, text.Length));
            var long_ = text[..at] + string.Concat(Enumerable.Repeat(new string(run), repeat)) + text[at..];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            _ = SipAdmission.Admit(Encoding.UTF8.GetBytes(long_), datagram: true);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed} for {long_.Length} characters");
        }, ciCases: 150, print: t => $"seed {t.Item1}, run '{new string(t.Item2)}' x{t.Item3} at {t.Item4}");
    }

    [Fact]
    public void Written_requests_and_responses_read_back_field_for_field()
    {
        var extension = Gen.Select(Token, HeaderValue, (name, value) => new SipHeader("X-" + name, Clean(value)));
        var gen = Gen.Select(Gen.Bool, GenRequestLine(), Gen.Int[100, 699], extension.Array[0, 12], Gen.Byte.Array[0, 300], Gen.Bool);
        FuzzRun.Check("SIP", "write then parse round-trips", gen, t =>
        {
            var (isRequest, (method, uri), status, headers, body, datagram) = t;
            SipMessage written = isRequest
                ? new SipRequest(method, uri, "SIP/2.0", new SipHeaders(headers), body)
                : new SipResponse(status, "Reason " + method, new SipHeaders(headers), body);
            Assert.True(SipParser.TryParse(SipWriter.Write(written), datagram, out var read, out var error), error?.Reason);
            if (isRequest)
            {
                var request = Assert.IsType<SipRequest>(read);
                Assert.Equal((method, uri, "SIP/2.0"), (request.Method, request.RequestUri, request.Version));
            }
            else
            {
                var response = Assert.IsType<SipResponse>(read);
                Assert.Equal((status, "Reason " + method), (response.StatusCode, response.Reason));
            }

            Assert.Equal([.. headers, new SipHeader(HeaderNames.ContentLength, body.Length.ToString(CultureInfo.InvariantCulture))], read.Headers.All);
            Assert.Equal(body, read.Body.ToArray());
        }, ciCases: 5_000);
    }

    [Fact]
    public void Admission_agrees_with_the_generated_fields_of_a_well_formed_request()
    {
        var gen = Gen.Select(
            Gen.Int[0, 5].Select(i => ((string[])["INVITE", "BYE", "OPTIONS", "REGISTER", "INFO", "CANCEL"])[i]),
            Gen.Select(Word, Word, Gen.Int[1, 65535], Word, (user, host, port, branch) => (user, host, port, branch)),
            Gen.Select(Gen.UInt, Gen.Int[0, 255], Word, Word, (cseq, hops, tag, callId) => (cseq, hops, tag, callId)),
            Gen.Select(Token, Word, (n, v) => new SipHeader("X-" + n, v)).Array[0, 5],
            Gen.Bool);
        FuzzRun.Check("SIP", "admission agrees with the parser", gen, t =>
        {
            var (method, (user, host, port, branch), (cseq, hops, tag, callId), extra, compact) = t;
            var uri = $"sip:{user}@{host}.example:{port}";
            List<SipHeader> headers =
            [
                new(compact ? "v" : HeaderNames.Via, $"SIP/2.0/UDP {host}.example:{port};branch={ViaHeader.MagicCookie}{branch}"),
                new(HeaderNames.MaxForwards, hops.ToString(CultureInfo.InvariantCulture)),
                new(compact ? "f" : HeaderNames.From, $"\"{user}\" <{uri}>;tag={tag}"),
                new(compact ? "t" : HeaderNames.To, $"<{uri}>"),
                new(compact ? "i" : HeaderNames.CallId, callId),
                new(HeaderNames.CSeq, $"{cseq} {method}"),
                new(compact ? "m" : HeaderNames.Contact, $"<sip:{user}@{host}.example:{port}>"),
                .. extra,
            ];
            var bytes = SipWriter.Write(new SipRequest(method, uri, "SIP/2.0", new SipHeaders(headers), ReadOnlyMemory<byte>.Empty));
            var admission = SipAdmission.Admit(bytes, datagram: true);
            Assert.Equal(SipAdmissionOutcome.Request, admission.Outcome);
            var admitted = admission.Request!;
            var via = Assert.Single(admitted.Vias);
            Assert.Equal(($"{host}.example", (int?)port, (string?)(ViaHeader.MagicCookie + branch)), (via.Host, via.Port, via.Branch));
            Assert.Equal((user, $"{host}.example", (int?)port), (admitted.RequestUri.User, admitted.RequestUri.Host, admitted.RequestUri.Port));
            Assert.Equal((user, tag), (admitted.From.DisplayName, admitted.From.Tag));
            Assert.Equal(uri, admitted.To.Uri.Text);
            Assert.Equal((callId, cseq, method, (int?)hops), (admitted.CallId, admitted.CSeq.Number, admitted.CSeq.Method, admitted.MaxForwards));
            Assert.Equal(uri, Assert.Single(admitted.Contacts).Uri.Text);
        }, ciCases: 5_000);
    }

    [Fact]
    public void Digest_credentials_read_back_what_was_written()
    {
        var quotable = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789 ,;=:@/\"\\<>"].Array[0, 20].Select(c => new string(c));
        var gen = Gen.Select(quotable, quotable, Word, quotable, Gen.Bool);
        FuzzRun.Check("SIP", "digest credentials round-trip", gen, t =>
        {
            var (username, realm, nonce, uri, withQop) = t;
            static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            var header = $"Digest username={Quote(username)}, realm={Quote(realm)}, nonce={Quote(nonce)}, uri={Quote(uri)}, response=\"0123abcd\""
                + (withQop ? ", qop=auth, nc=00000001, cnonce=\"c\"" : "");
            Assert.True(DigestCredentials.TryParse(header, out var credentials), header);
            Assert.Equal((username, realm, nonce, uri, "0123abcd"), (credentials.Username, credentials.Realm, credentials.Nonce, credentials.Uri, credentials.Response));
            Assert.Equal(withQop ? "auth" : null, credentials.Qop);
        }, ciCases: 5_000);
    }

    private static Gen<(string Method, string Uri)> GenRequestLine() =>
        Gen.Select(Token, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789:@;=.%<>\"?&"].Array[1, 30], (m, u) => (m, "sip:" + new string(u)));

    private static void ReadEveryHeader(SipMessage message)
    {
        foreach (var value in message.Headers.Elements(HeaderNames.Via))
        {
            _ = ViaHeader.TryParse(value, out _);
        }

        foreach (var name in (string[])[HeaderNames.From, HeaderNames.To, HeaderNames.Contact, HeaderNames.Route, HeaderNames.RecordRoute])
        {
            foreach (var value in message.Headers.Elements(name))
            {
                _ = NameAddress.TryParse(value, out _);
            }
        }

        _ = CSeqHeader.TryParse(message.Headers[HeaderNames.CSeq] ?? "", out _);
        foreach (var value in message.Headers.Values(HeaderNames.Authorization))
        {
            _ = DigestCredentials.TryParse(value, out _);
        }

        if (message is SipRequest request)
        {
            _ = SipUri.TryParse(request.RequestUri, out _);
        }
    }

    /// <summary>What a header value can be on the wire and still read back the same: one line, no edge white space, whole surrogate pairs.</summary>
    private static string Clean(string value)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (!char.IsSurrogate(c) && c is not ('\r' or '\n'))
            {
                text.Append(c);
            }
        }

        return text.ToString().Trim();
    }
}
