using System.Net;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;
using MediaBridge.Tests.Sip.Auth;

namespace MediaBridge.Tests.Sip.Transactions;

public sealed class TransactionTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5070);
    private readonly ManualTime time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender wire;
    private readonly RecordingUser user = new();
    private readonly SipTransactionLayer layer;

    public TransactionTests()
    {
        wire = new RecordingSender(time);
        layer = new SipTransactionLayer(wire, user, time);
    }

    [Fact]
    public void A_retransmitted_options_is_absorbed_and_answered_again_then_the_transaction_lingers_64_t1()
    {
        layer.Receive(Options("z9hG4bKopt1"), Peer, reliable: false);
        var tx = Assert.Single(user.Requests);
        layer.Respond(tx, 200);

        layer.Receive(Options("z9hG4bKopt1"), Peer, reliable: false);

        Assert.Single(user.Requests);
        Assert.Equal([200, 200], wire.Statuses);
        Assert.Equal(wire.Sent[0].Message.Headers[HeaderNames.To], wire.Sent[1].Message.Headers[HeaderNames.To]);
        Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal(1, layer.ServerCount);
        Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(0, layer.ServerCount);
    }

    [Fact]
    public void An_invite_gets_100_trying_at_once_and_a_failure_is_resent_at_t1_doubling_to_t2_until_acked()
    {
        layer.Receive(Invite("z9hG4bKinv1"), Peer, reliable: false);
        var tx = Assert.Single(user.Requests);
        Assert.Equal([100], wire.Statuses);

        layer.Respond(tx, 486);
        for (var i = 0; i < 80; i++)
        {
            Advance(TimeSpan.FromMilliseconds(100));
        }

        var resends = wire.Sent.Where(s => s.Message is SipResponse { StatusCode: 486 }).Select(s => s.At.TotalSeconds).ToList();
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5], resends);

        layer.Receive(AckFor("z9hG4bKinv1", tx), Peer, reliable: false);
        Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Equal(5, wire.Statuses.Count(s => s == 486));
        Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Empty(user.Timeouts);
    }

    [Fact]
    public void Without_an_ack_the_failure_gives_up_after_64_t1()
    {
        layer.Receive(Invite("z9hG4bKinv2"), Peer, reliable: false);
        layer.Respond(user.Requests[0], 603);

        for (var i = 0; i < 330; i++)
        {
            Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Same(user.Requests[0], Assert.Single(user.Timeouts));
        Assert.Equal(0, layer.ServerCount);
    }

    [Fact]
    public void A_2xx_ends_the_invite_transaction_and_its_ack_goes_to_the_dialog_layer()
    {
        layer.Receive(Invite("z9hG4bKinv3"), Peer, reliable: false);
        layer.Respond(user.Requests[0], 200);

        layer.Receive(AckFor("z9hG4bKack3", user.Requests[0]), Peer, reliable: false);

        Assert.Equal(0, layer.ServerCount);
        Assert.Single(user.Acks);
    }

    [Fact]
    public void A_request_sent_over_udp_is_resent_at_t1_doubling_to_t2_until_answered()
    {
        layer.Send(OutgoingOptions("z9hG4bKout1"), Peer, reliable: false);
        for (var i = 0; i < 120; i++)
        {
            Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5], wire.Sent.Select(s => s.At.TotalSeconds));

        layer.Receive(ResponseTo("z9hG4bKout1", "OPTIONS", 200), Peer, reliable: false);
        Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(200, Assert.Single(user.Responses).StatusCode);
        Assert.Equal(6, wire.Sent.Count);
        Assert.Equal(0, layer.ClientCount);
    }

    [Fact]
    public void An_unanswered_request_times_out_after_64_t1()
    {
        var tx = layer.Send(OutgoingOptions("z9hG4bKout2"), Peer, reliable: false);

        Advance(TimeSpan.FromSeconds(31.9));
        Assert.Empty(user.Timeouts);
        Advance(TimeSpan.FromSeconds(0.2));

        Assert.Same(tx, Assert.Single(user.Timeouts));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void An_invite_sent_stops_resending_on_ringing_and_acks_a_failure_in_its_own_transaction()
    {
        layer.Send(OutgoingInvite("z9hG4bKout3"), Peer, reliable: false);
        Advance(TimeSpan.FromSeconds(0.6));
        layer.Receive(ResponseTo("z9hG4bKout3", "INVITE", 180), Peer, reliable: false);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, wire.Sent.Count);

        layer.Receive(ResponseTo("z9hG4bKout3", "INVITE", 486), Peer, reliable: false);
        layer.Receive(ResponseTo("z9hG4bKout3", "INVITE", 486), Peer, reliable: false);

        var acks = wire.Sent.Select(s => s.Message).OfType<SipRequest>().Where(r => r.Method == "ACK").ToList();
        Assert.Equal(2, acks.Count);
        Assert.Contains("branch=z9hG4bKout3", acks[0].Headers[HeaderNames.Via], StringComparison.Ordinal);
        Assert.Equal("1 ACK", acks[0].Headers[HeaderNames.CSeq]);
        Assert.Contains("tag=callee", acks[0].Headers[HeaderNames.To], StringComparison.Ordinal);
        Assert.Equal([180, 486], user.Responses.Select(r => r.StatusCode));
    }

    [Fact]
    public void Over_a_reliable_transport_nothing_is_resent()
    {
        layer.Send(OutgoingOptions("z9hG4bKtcp1"), Peer, reliable: true);
        Advance(TimeSpan.FromSeconds(20));

        Assert.Single(wire.Sent);
    }

    [Fact]
    public void Stray_responses_are_dropped_and_bad_requests_answered_statelessly()
    {
        layer.Receive(TortureSuite.Read("unreason.dat"), Peer, reliable: false);
        layer.Receive(TortureSuite.Read("mismatch01.dat"), Peer, reliable: false);

        Assert.Empty(user.Responses);
        Assert.Equal([400], wire.Statuses);
        Assert.Equal(0, layer.ServerCount);
        Assert.Same(Peer, wire.Sent[0].Remote);
    }

    private void Advance(TimeSpan by)
    {
        time.Now += by;
        layer.Poll();
    }

    private static byte[] Options(string branch) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:fs-main@command.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\n" +
        "To: <sip:fs-main@command.example>\r\nFrom: <sip:2101@command.example>;tag=a1\r\nCall-ID: opt-1@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    private static byte[] Invite(string branch) => Encoding.ASCII.GetBytes(
        $"INVITE sip:s-abc@command.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\n" +
        "To: <sip:s-abc@command.example>\r\nFrom: <sip:2101@command.example>;tag=b2\r\nCall-ID: inv-1@127.0.0.1\r\nCSeq: 7 INVITE\r\n" +
        "Contact: <sip:2101@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n");

    private static byte[] AckFor(string branch, ServerTransaction tx) => Encoding.ASCII.GetBytes(
        $"ACK sip:s-abc@command.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\n" +
        $"To: <sip:s-abc@command.example>;tag={tx.ToTag}\r\nFrom: <sip:2101@command.example>;tag=b2\r\nCall-ID: inv-1@127.0.0.1\r\nCSeq: 7 ACK\r\nContent-Length: 0\r\n\r\n");

    private static SipRequest OutgoingOptions(string branch) => Outgoing("OPTIONS", branch);

    private static SipRequest OutgoingInvite(string branch) => Outgoing("INVITE", branch);

    private static SipRequest Outgoing(string method, string branch) => new(
        method, "sip:2101@127.0.0.1:5070", "SIP/2.0",
        new SipHeaders(
        [
            new(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5060;branch={branch}"),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.To, "<sip:2101@command.example>"),
            new(HeaderNames.From, "<sip:bridge@command.example>;tag=bridge1"),
            new(HeaderNames.CallId, $"{branch}@bridge"),
            new(HeaderNames.CSeq, $"1 {method}"),
        ]),
        ReadOnlyMemory<byte>.Empty);

    private static byte[] ResponseTo(string branch, string method, int status) => Encoding.ASCII.GetBytes(
        $"SIP/2.0 {status} {ReasonPhrases.For(status)}\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch={branch}\r\n" +
        $"To: <sip:2101@command.example>;tag=callee\r\nFrom: <sip:bridge@command.example>;tag=bridge1\r\nCall-ID: {branch}@bridge\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n");
}
