using System.Text;
using MediaBridge.Sip;

namespace MediaBridge.Tests.Sip;

public sealed class SipRobustnessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("INVITE\r\n\r\n")]
    [InlineData("SIP/2.0\r\n\r\n")]
    [InlineData("SIP/2.0 99999999999999999999 x\r\n\r\n")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nVia: \r\n\r\n")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\n: empty name\r\n\r\n")]
    [InlineData("OPTIONS sip:[::1 SIP/2.0\r\nVia: SIP/2.0/UDP [::1;branch=z9hG4bKx\r\n\r\n")]
    public void Garbage_is_refused_or_dropped(string text)
    {
        var admission = SipAdmission.Admit(Encoding.UTF8.GetBytes(text), datagram: true);

        Assert.NotEqual(SipAdmissionOutcome.Request, admission.Outcome);
    }

    [Fact]
    public void A_stream_message_needs_content_length_but_a_datagram_does_not()
    {
        const string Options = "OPTIONS sip:fs-main@command.example SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\nTo: <sip:fs-main@command.example>\r\nFrom: <sip:2101@command.example>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\nCSeq: 63104 OPTIONS\r\n\r\n";

        Assert.Equal(SipAdmissionOutcome.Request, SipAdmission.Admit(Encoding.ASCII.GetBytes(Options), datagram: true).Outcome);
        var stream = SipAdmission.Admit(Encoding.ASCII.GetBytes(Options), datagram: false);
        Assert.Equal(400, stream.Reply?.StatusCode);
        Assert.Contains("Content-Length", stream.Reason);
    }

    [Fact]
    public void A_message_larger_than_the_limit_is_not_parsed()
    {
        var huge = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nX: " + new string('a', SipParser.MaxMessageSize) + "\r\n\r\n");

        Assert.False(SipParser.TryParse(huge, true, out _, out var error));
        Assert.Equal(413, error.Status);
    }

    [Fact]
    public void A_bad_ack_is_dropped_rather_than_answered()
    {
        const string Ack = "ACK sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKa\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";

        Assert.Equal(SipAdmissionOutcome.Drop, SipAdmission.Admit(Encoding.ASCII.GetBytes(Ack), true).Outcome);
    }

    [Fact]
    public void A_reply_copies_via_from_call_id_and_cseq_and_tags_to()
    {
        var admission = SipAdmission.Admit(TortureSuite.Read("mismatch01.dat"), true);
        var request = TortureSuite.Read("mismatch01.dat");
        Assert.True(SipParser.TryParse(request, true, out var original, out _));

        var reply = admission.Reply!;

        Assert.Equal(original.Headers.Values(HeaderNames.Via), reply.Headers.Values(HeaderNames.Via));
        Assert.Equal(original.Headers[HeaderNames.From], reply.Headers[HeaderNames.From]);
        Assert.Equal(original.CallId, reply.CallId);
        Assert.Equal(original.Headers[HeaderNames.CSeq], reply.Headers[HeaderNames.CSeq]);
        Assert.StartsWith(original.Headers[HeaderNames.To]!, reply.Headers[HeaderNames.To]!, StringComparison.Ordinal);
        Assert.Contains(";tag=", reply.Headers[HeaderNames.To]!, StringComparison.Ordinal);
        Assert.StartsWith("399 bridge \"CSeq method", reply.Headers[HeaderNames.Warning]!, StringComparison.Ordinal);
    }
}
