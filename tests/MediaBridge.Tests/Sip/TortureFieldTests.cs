using System.Text;
using MediaBridge.Sip;

namespace MediaBridge.Tests.Sip;

/// <summary>The RFC 4475 messages that must parse, checked field by field against what the RFC says they carry.</summary>
public sealed class TortureFieldTests
{
    [Fact]
    public void Wsinv_unfolds_lines_and_reads_odd_spacing_and_case()
    {
        var r = Admitted("wsinv.dat");

        Assert.Equal("INVITE", r.Message.Method);
        Assert.Equal(9u, r.CSeq.Number);
        Assert.Equal(68, r.MaxForwards);
        Assert.Equal(["UDP", "TCP", "UDP"], r.Vias.Select(v => v.Transport));
        Assert.Equal(["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"], r.Vias.Select(v => v.Branch));
        Assert.Equal("1918181833n", r.To.Tag);
        Assert.Equal("98asjd8", r.From.Tag);
        Assert.Equal("J Rosenberg \\\"", r.From.DisplayName);
        var contact = Assert.Single(r.Contacts);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.Parameter("newparam"));
        Assert.Equal("0.33", contact.Parameter("q"));
        Assert.Equal("newfangled value continued newfangled value", r.Message.Headers["NewFangledHeader"]);
        Assert.Equal(150, r.Message.Body.Length);
        Assert.Equal("unknownparam", Assert.Single(r.RequestUri.Parameters).Name);
    }

    [Fact]
    public void Escapes_are_decoded_once_and_only_in_uri_parts()
    {
        var r = Admitted("esc01.dat");

        Assert.Equal("sips:user@example.com", r.RequestUri.User);
        Assert.Equal("user", r.To.Uri.User);
        Assert.Equal("I have spaces", r.From.Uri.User);
        var contact = Assert.Single(r.Contacts).Uri;
        Assert.Equal("caller", contact.User);
        Assert.Contains(contact.Parameters, p => p.Name == "lr");
        Assert.Equal("value%41", contact.Parameter("name"));
    }

    [Fact]
    public void An_escaped_nul_does_not_truncate_the_user_part()
    {
        var r = Admitted("escnull.dat");

        Assert.Equal("null-\0-null", r.To.Uri.User);
        Assert.Equal(["\0", "\0\0"], r.Contacts.Select(c => c.Uri.User));
    }

    [Fact]
    public void A_semicolon_and_escaped_at_stay_in_the_request_uri_user()
    {
        Assert.Equal("user;par=u@example.net", Admitted("semiuri.dat").RequestUri.User);
        Assert.Equal("example.com", Admitted("semiuri.dat").RequestUri.Host);
    }

    [Fact]
    public void Only_the_first_message_of_a_datagram_is_read()
    {
        var r = Admitted("dblreq.dat");

        Assert.Equal("REGISTER", r.Message.Method);
        Assert.True(r.Message.Body.IsEmpty);
    }

    [Fact]
    public void A_binary_multipart_body_is_framed_by_content_length()
    {
        Assert.True(SipParser.TryParse(TortureSuite.Read("mpart01.dat"), true, out var message, out _));

        Assert.Equal(int.Parse(message.Headers[HeaderNames.ContentLength]!, System.Globalization.CultureInfo.InvariantCulture), message.Body.Length);
        Assert.Contains((byte)0, message.Body.ToArray());
    }

    [Fact]
    public void Without_content_length_a_datagram_body_runs_to_its_end()
    {
        var bytes = TortureSuite.Read("inv2543.dat");
        var r = Admitted("inv2543.dat");

        Assert.Null(r.Vias[0].Branch);
        Assert.Null(r.From.Tag);
        Assert.Null(r.MaxForwards);
        Assert.EndsWith(Encoding.ASCII.GetString(r.Message.Body.Span), Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.True(r.Message.Body.Length > 100);
    }

    [Fact]
    public void Every_via_transport_parses_including_unknown_ones()
    {
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], Admitted("transports.dat").Vias.Select(v => v.Transport));
        Assert.Equal(34, Admitted("longreq.dat").Vias.Count);
    }

    [Fact]
    public void Contact_parameters_belong_to_the_header_without_brackets_and_to_the_uri_within_them()
    {
        var bare = Assert.Single(Admitted("cparam01.dat").Contacts);
        var bracketed = Assert.Single(Admitted("cparam02.dat").Contacts);

        Assert.Empty(bare.Uri.Parameters);
        Assert.Equal("unknownparam", Assert.Single(bare.Parameters).Name);
        Assert.Equal("unknownparam", Assert.Single(bracketed.Uri.Parameters).Name);
        Assert.Empty(bracketed.Parameters);
    }

    [Fact]
    public void A_display_name_token_may_run_into_the_angle_bracket()
    {
        Assert.Equal("caller", Admitted("lwsdisp.dat").From.DisplayName);
    }

    [Fact]
    public void Responses_with_odd_or_empty_reasons_parse()
    {
        Assert.True(SipParser.TryParse(TortureSuite.Read("unreason.dat"), true, out var unreason, out _));
        Assert.True(SipParser.TryParse(TortureSuite.Read("noreason.dat"), true, out var noreason, out _));

        Assert.Equal(200, ((SipResponse)unreason).StatusCode);
        Assert.EndsWith("простое", ((SipResponse)unreason).Reason, StringComparison.Ordinal);
        Assert.Equal(100, ((SipResponse)noreason).StatusCode);
        Assert.Equal("", ((SipResponse)noreason).Reason);
    }

    [Fact]
    public void The_420_lists_every_unsupported_require_tag()
    {
        var reply = SipAdmission.Admit(TortureSuite.Read("bext01.dat"), true).Reply!;

        Assert.Equal("nothingSupportsThis, nothingSupportsThisEither", reply.Headers[HeaderNames.Unsupported]);
    }

    [Fact]
    public void Refusals_of_unknown_methods_and_body_types_say_what_is_allowed()
    {
        Assert.Equal("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO", SipAdmission.Admit(TortureSuite.Read("intmeth.dat"), true).Reply!.Headers[HeaderNames.Allow]);
        Assert.Equal("application/sdp", SipAdmission.Admit(TortureSuite.Read("invut.dat"), true).Reply!.Headers[HeaderNames.Accept]);
    }

    private static AdmittedRequest Admitted(string file)
    {
        var admission = SipAdmission.Admit(TortureSuite.Read(file), datagram: true);
        Assert.True(admission.Outcome == SipAdmissionOutcome.Request, $"{file}: {admission.Outcome} {admission.Reason}");
        return admission.Request!;
    }
}
