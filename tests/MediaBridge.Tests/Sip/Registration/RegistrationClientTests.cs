using System.Net;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Tests.Sip.Auth;

namespace MediaBridge.Tests.Sip.Registration;

/// <summary>
/// The registration client on the wire, with a hand-moved clock: the REGISTERs it writes, letter for
/// letter, and how it takes each answer a registrar may give (challenges, grants, refusals, silence).
/// </summary>
public sealed class RegistrationClientTests
{
    private const string Password = "gd-1000-Sample!";
    private const string RegistrarUri = "sip:192.0.2.10:5062";
    private static readonly IPEndPoint Registrar = new(IPAddress.Parse("192.0.2.10"), 5062);
    private static readonly RegistrationTimings Timings = new(TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));

    private readonly ManualTime time = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly WireRecorder wire;
    private readonly SipRegistrations registrations = new();
    private readonly SipTransactionLayer layer;
    private readonly SipRegistrationClient client;
    private readonly List<string> changes = [];
    private int token;

    public RegistrationClientTests()
    {
        wire = new WireRecorder(time);
        layer = new SipTransactionLayer(wire, new Router(registrations), time);
        client = NewClient(Password);
        client.Changed += c => changes.Add($"{c.Status} {c.Reason}".Trim());
        registrations.Add(client);
    }

    [Fact]
    public void The_first_register_asks_for_the_configured_expiry_without_credentials()
    {
        client.Tick();

        Assert.Equal(
            "REGISTER sip:192.0.2.10:5062 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bKt3;rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:1000@192.0.2.10>;tag=t2\r\n" +
            "To: <sip:1000@192.0.2.10>\r\n" +
            "Call-ID: t1@command\r\n" +
            "CSeq: 1 REGISTER\r\n" +
            "Contact: <sip:1000@198.51.100.7:5070>\r\n" +
            "Expires: 3600\r\n" +
            "User-Agent: Command MediaBridge\r\n" +
            "Content-Length: 0\r\n\r\n",
            wire.Texts.Single());
        Assert.Equal(RegistrationStatus.Offline, client.Status);
    }

    [Fact]
    public void A_401_is_answered_with_sha_256_digest_and_the_grant_is_refreshed_at_half_its_length()
    {
        client.Tick();
        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"n-1\", algorithm=SHA-256, qop=\"auth\""),
            ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"n-1\", algorithm=MD5, qop=\"auth\""));

        var expected = DigestAuthenticator.ExpectedResponse(DigestAlgorithm.Sha256, "REGISTER", "1000", "upper.example", Password, "n-1", RegistrarUri, "00000001", "t5", "auth");
        Assert.Equal(
            "REGISTER sip:192.0.2.10:5062 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bKt4;rport\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:1000@192.0.2.10>;tag=t2\r\n" +
            "To: <sip:1000@192.0.2.10>\r\n" +
            "Call-ID: t1@command\r\n" +
            "CSeq: 2 REGISTER\r\n" +
            "Contact: <sip:1000@198.51.100.7:5070>\r\n" +
            "Expires: 3600\r\n" +
            $"Authorization: Digest username=\"1000\", realm=\"upper.example\", nonce=\"n-1\", uri=\"sip:192.0.2.10:5062\", response=\"{expected}\", algorithm=SHA-256, cnonce=\"t5\", qop=auth, nc=00000001\r\n" +
            "User-Agent: Command MediaBridge\r\n" +
            "Content-Length: 0\r\n\r\n",
            wire.Texts[1]);

        Answer(200, ("Contact", "<sip:other@203.0.113.9:5060>;expires=3000, <sip:1000@198.51.100.7:5070>;expires=120"));

        Assert.Equal(RegistrationStatus.Registered, client.Status);
        Assert.Null(client.Reason);
        Assert.Equal(120, client.GrantedSeconds);
        Assert.Equal(["Registered"], changes);

        Advance(TimeSpan.FromSeconds(59.9), keepAlives: true);
        Assert.Equal(2, wire.Registers.Count);
        Advance(TimeSpan.FromSeconds(0.2), keepAlives: true);
        var refresh = wire.Registers[2];
        Assert.Equal("3 REGISTER", refresh.Headers[HeaderNames.CSeq]);
        Assert.Contains("nc=00000002", refresh.Headers[HeaderNames.Authorization], StringComparison.Ordinal);
        Assert.Equal("t1@command", refresh.CallId);
    }

    [Fact]
    public void A_407_is_answered_with_proxy_authorization_in_md5_and_a_challenge_without_qop_in_rfc_2069_form()
    {
        client.Tick();
        Answer(407, ("Proxy-Authenticate", "Digest realm=\"proxy.example\", nonce=\"p-1\", opaque=\"o-9\""));

        var request = wire.Registers[1];
        var expected = DigestAlgorithm.Md5.Hash($"{DigestAlgorithm.Md5.Hash($"1000:proxy.example:{Password}")}:p-1:{DigestAlgorithm.Md5.Hash($"REGISTER:{RegistrarUri}")}");
        Assert.Null(request.Headers[HeaderNames.Authorization]);
        Assert.Equal(
            $"Digest username=\"1000\", realm=\"proxy.example\", nonce=\"p-1\", uri=\"sip:192.0.2.10:5062\", response=\"{expected}\", algorithm=MD5, opaque=\"o-9\"",
            request.Headers["Proxy-Authorization"]);

        Answer(200, ("Expires", "600"));
        Assert.Equal(RegistrationStatus.Registered, client.Status);
        Assert.Equal(600, client.GrantedSeconds);
    }

    [Fact]
    public void Interval_too_brief_raises_the_asked_expiry_to_min_expires()
    {
        var brief = NewClient(Password, Timings with { Expires = TimeSpan.FromSeconds(30) });
        registrations.Add(brief);
        brief.Tick();
        Assert.Equal("30", wire.Registers.Last().Headers[HeaderNames.Expires]);

        Answer(423, ("Min-Expires", "60"));

        Assert.Equal("60", wire.Registers.Last().Headers[HeaderNames.Expires]);
        Answer(200, ("Contact", "<sip:1000@198.51.100.7:5070>;expires=60"));
        Assert.Equal(RegistrationStatus.Registered, brief.Status);
        Assert.Equal(60, brief.GrantedSeconds);
    }

    [Fact]
    public void A_wrong_password_stays_offline_with_its_reason_and_is_retried_after_1_2_4_up_to_30_s()
    {
        client.Tick();
        var attempts = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            attempts.Add(Math.Round((time.Now - wire.Start).TotalSeconds, 1));
            Answer(401, ("WWW-Authenticate", $"Digest realm=\"upper.example\", nonce=\"n-{i}\", algorithm=MD5, qop=\"auth\""));
            Answer(401, ("WWW-Authenticate", $"Digest realm=\"upper.example\", nonce=\"n-{i}b\", algorithm=MD5, qop=\"auth\""));
            Assert.Equal(RegistrationStatus.Offline, client.Status);
            var before = wire.Registers.Count;
            while (wire.Registers.Count == before)
            {
                Advance(TimeSpan.FromSeconds(0.1));
            }
        }

        Assert.Equal([0, 1, 3, 7, 15, 31, 61, 91], attempts);
        Assert.Equal("401 Unauthorized: the registrar refused the username or password", client.Reason);
    }

    [Fact]
    public void A_stale_nonce_is_answered_again_rather_than_taken_for_a_wrong_password()
    {
        client.Tick();
        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"old\", algorithm=SHA-256, qop=\"auth\""));
        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"new\", algorithm=SHA-256, qop=\"auth\", stale=true"));

        Assert.Contains("nonce=\"new\"", wire.Registers[2].Headers[HeaderNames.Authorization], StringComparison.Ordinal);
        Answer(200);
        Assert.Equal(RegistrationStatus.Registered, client.Status);
        Assert.Equal(3600, client.GrantedSeconds);
    }

    [Fact]
    public void No_answer_within_the_bound_is_offline_and_tried_again()
    {
        client.Tick();
        Advance(TimeSpan.FromSeconds(4.1));

        Assert.Equal(RegistrationStatus.Offline, client.Status);
        Assert.Equal("no answer from the registrar", client.Reason);
        var sent = wire.Registers.Count;
        Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(sent + 1, wire.Registers.Count);
    }

    [Fact]
    public void A_registrar_that_stops_answering_keep_alives_is_left_and_registered_with_again()
    {
        Register();
        Advance(TimeSpan.FromSeconds(20.1));
        var ping = Assert.Single(wire.Requests, r => r.Method == "OPTIONS");
        Assert.Equal(RegistrarUri, ping.RequestUri);
        Assert.NotEqual("t1@command", ping.CallId);
        Assert.Equal("1 OPTIONS", ping.Headers[HeaderNames.CSeq]);
        Respond(ping, 404);
        Assert.Equal(RegistrationStatus.Registered, client.Status);

        Advance(TimeSpan.FromSeconds(20.1));
        Advance(TimeSpan.FromSeconds(4.1));

        Assert.Equal(RegistrationStatus.Offline, client.Status);
        Assert.Equal("the registrar did not answer a keep-alive", client.Reason);
        var before = wire.Registers.Count;
        Advance(TimeSpan.FromSeconds(1.1));
        var again = wire.Registers[before];
        Assert.Null(again.Headers[HeaderNames.Authorization]);
        Respond(again, 200);
        Assert.Equal(["Registered", "Offline the registrar did not answer a keep-alive", "Registered"], changes);
    }

    [Fact]
    public void Removing_unregisters_with_expires_0_and_answers_a_challenge_to_it()
    {
        Register();
        registrations.Remove(client.Id);

        var bye = wire.Registers.Last();
        Assert.Equal("0", bye.Headers[HeaderNames.Expires]);
        Assert.Equal("<sip:1000@198.51.100.7:5070>", bye.Headers[HeaderNames.Contact]);
        Assert.True(registrations.Leaving);

        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"n-2\", algorithm=SHA-256, qop=\"auth\""));
        Assert.Equal("0", wire.Registers.Last().Headers[HeaderNames.Expires]);
        Assert.Contains("nonce=\"n-2\"", wire.Registers.Last().Headers[HeaderNames.Authorization], StringComparison.Ordinal);
        Answer(200);

        Assert.True(client.Finished);
        Assert.False(registrations.Leaving);
        Assert.Equal(RegistrationStatus.Offline, client.Status);
        var count = wire.Texts.Count;
        Advance(TimeSpan.FromSeconds(3600));
        Assert.Equal(count, wire.Texts.Count);
    }

    [Fact]
    public void A_client_replaced_by_one_for_the_same_contact_leaves_the_binding_to_it_but_one_for_another_registrar_unregisters()
    {
        Register();
        var sent = wire.Registers.Count;

        var replacement = new SipRegistrationClient(client.Id, client.Account with { Password = "new-password" }, layer, time, Timings, _ => "198.51.100.7:5070", () => $"t{++token}");
        registrations.Add(replacement);

        Assert.Equal(sent, wire.Registers.Count);
        Assert.True(client.Finished);
        Assert.Equal("replaced", client.Reason);
        replacement.Tick();
        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"n-3\", algorithm=SHA-256, qop=\"auth\""));
        Answer(200);
        Assert.Equal(RegistrationStatus.Registered, replacement.Status);

        var elsewhere = new SipRegistrationClient(replacement.Id, new RegistrationAccount("sip:192.0.2.11", "192.0.2.11", new IPEndPoint(IPAddress.Parse("192.0.2.11"), 5060), "1000", Password),
            layer, time, Timings, _ => "198.51.100.7:5070", () => $"t{++token}");
        registrations.Add(elsewhere);

        var bye = wire.Registers.Last();
        Assert.Equal(("0", RegistrarUri), (bye.Headers[HeaderNames.Expires], bye.RequestUri));
    }

    [Fact]
    public void Garbage_answers_are_ignored_or_taken_as_failures_and_nothing_throws()
    {
        client.Tick();
        var request = wire.Registers[0];
        layer.Receive("SIP/2.0 200 OK\r\nbroken"u8, Registrar, reliable: false);
        layer.Receive(Encoding.ASCII.GetBytes(SipText(request, 200).Replace("branch=z9hG4bKt3", "branch=z9hG4bKforged", StringComparison.Ordinal)), Registrar, reliable: false);
        Assert.Equal(RegistrationStatus.Offline, client.Status);
        Assert.Equal("registering", client.Reason);

        Respond(request, 401, ("WWW-Authenticate", "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256, qop=\"auth-int\""), ("WWW-Authenticate", "Basic realm=\"x\""));
        Assert.Equal("401 Unauthorized without a digest challenge this side can answer", client.Reason);

        Advance(TimeSpan.FromSeconds(1.1));
        Respond(wire.Registers.Last(), 200, ("Contact", "<sip:1000@198.51.100.7:5070>;expires=soon"), ("Expires", "not-a-number"));
        Assert.Equal(RegistrationStatus.Registered, client.Status);
        Assert.Equal(3600, client.GrantedSeconds);

        Respond(wire.Registers.Last(), 500);
        Assert.Equal(RegistrationStatus.Registered, client.Status);
    }

    [Fact]
    public void A_final_refusal_is_reported_with_its_status_line()
    {
        client.Tick();
        Answer(403, []);

        Assert.Equal(RegistrationStatus.Offline, client.Status);
        Assert.Equal("403 Forbidden", client.Reason);
    }

    private SipRegistrationClient NewClient(string password, RegistrationTimings? timings = null) =>
        new($"uplink-{token}", new RegistrationAccount(RegistrarUri, "192.0.2.10", Registrar, "1000", password), layer, time, timings ?? Timings,
            _ => "198.51.100.7:5070", () => $"t{++token}");

    private void Register()
    {
        client.Tick();
        Answer(401, ("WWW-Authenticate", "Digest realm=\"upper.example\", nonce=\"n-1\", algorithm=SHA-256, qop=\"auth\""));
        Answer(200, ("Contact", "<sip:1000@198.51.100.7:5070>;expires=3600"));
        Assert.Equal(RegistrationStatus.Registered, client.Status);
    }

    private void Answer(int status, params (string Name, string Value)[] headers) => Respond(wire.Registers.Last(), status, headers);

    private void Respond(SipRequest request, int status, params (string Name, string Value)[] headers) =>
        layer.Receive(Encoding.ASCII.GetBytes(SipText(request, status, headers)), Registrar, reliable: false);

    private static string SipText(SipRequest request, int status, params (string Name, string Value)[] headers) =>
        Encoding.ASCII.GetString(SipWriter.Write(SipResponses.For(request, status, extra: headers.Select(h => new SipHeader(h.Name, h.Value)))));

    private void Advance(TimeSpan by, bool keepAlives = false)
    {
        var until = time.Now + by;
        while (time.Now < until)
        {
            var step = TimeSpan.FromMilliseconds(100) < until - time.Now ? TimeSpan.FromMilliseconds(100) : until - time.Now;
            time.Now += step;
            layer.Poll();
            registrations.Tick();
            if (keepAlives)
            {
                AnswerKeepAlives();
            }
        }
    }

    private void AnswerKeepAlives()
    {
        foreach (var ping in wire.Requests.Where(r => r.Method == "OPTIONS").Skip(answeredPings).ToList())
        {
            answeredPings++;
            Respond(ping, 200);
        }
    }

    private int answeredPings;

    /// <summary>Routes answers and timeouts to the registrations only, as <see cref="SipCore"/> does first.</summary>
    private sealed class Router(SipRegistrations registrations) : ISipTransactionUser
    {
        public void OnRequest(ServerTransaction transaction)
        {
        }

        public void OnAck(AdmittedRequest ack, IPEndPoint remote)
        {
        }

        public void OnResponse(ClientTransaction transaction, SipResponse response) => registrations.OnResponse(transaction, response);

        public void OnTimeout(object transaction)
        {
            if (transaction is ClientTransaction client)
            {
                registrations.OnTimeout(client);
            }
        }
    }

    /// <summary>Keeps each message as sent, in its text, and parsed.</summary>
    private sealed class WireRecorder(TimeProvider time) : ISipSender
    {
        public DateTimeOffset Start { get; } = time.GetUtcNow();

        public List<string> Texts { get; } = [];

        public List<SipRequest> Requests { get; } = [];

        public List<SipRequest> Registers => [.. Requests.Where(r => r.Method == "REGISTER")];

        public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable)
        {
            Texts.Add(Encoding.UTF8.GetString(message.Span));
            Assert.True(SipParser.TryParse(message.Span, datagram: true, out var parsed, out var error), error?.Reason);
            if (parsed is SipRequest request)
            {
                Requests.Add(request);
            }
        }
    }
}
