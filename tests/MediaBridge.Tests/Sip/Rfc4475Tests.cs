using MediaBridge.Sip;

namespace MediaBridge.Tests.Sip;

/// <summary>
/// All 49 RFC 4475 torture messages, each fed to the bridge's front door as one UDP datagram.
/// The allowed outcomes transcribe EXPECTED.tsv's uas_expectation column: a status the bridge
/// answers itself, "drop", or "pass" where the request goes on to the registrar or dialog layer,
/// which answers as normal (a 401 challenge, 404 for an unknown URI).
/// </summary>
public sealed class Rfc4475Tests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["wsinv.dat"] = ["pass"],
        ["intmeth.dat"] = ["501"],
        ["esc01.dat"] = ["pass"],
        ["escnull.dat"] = ["pass"],
        ["esc02.dat"] = ["501"],
        ["lwsdisp.dat"] = ["pass"],
        ["longreq.dat"] = ["pass"],
        ["dblreq.dat"] = ["pass"],
        ["semiuri.dat"] = ["pass"],
        ["transports.dat"] = ["pass"],
        ["mpart01.dat"] = ["405", "501"],
        ["unreason.dat"] = ["drop"],
        ["noreason.dat"] = ["drop"],
        ["badinv01.dat"] = ["400"],
        ["clerr.dat"] = ["400"],
        ["ncl.dat"] = ["400"],
        ["scalar02.dat"] = ["400"],
        ["scalarlg.dat"] = ["drop"],
        ["quotbal.dat"] = ["400", "pass"],
        ["ltgtruri.dat"] = ["400", "pass"],
        ["lwsruri.dat"] = ["400", "pass"],
        ["lwsstart.dat"] = ["400", "pass"],
        ["trws.dat"] = ["400", "pass"],
        ["escruri.dat"] = ["400", "pass"],
        ["baddate.dat"] = ["400", "pass"],
        ["regbadct.dat"] = ["400", "pass"],
        ["badaspec.dat"] = ["400", "pass"],
        ["baddn.dat"] = ["400", "pass"],
        ["badvers.dat"] = ["505"],
        ["mismatch01.dat"] = ["400"],
        ["mismatch02.dat"] = ["501", "400"],
        ["bigcode.dat"] = ["drop"],
        ["badbranch.dat"] = ["400", "pass"],
        ["insuf.dat"] = ["400"],
        ["unkscm.dat"] = ["416"],
        ["novelsc.dat"] = ["416", "404"],
        ["unksm2.dat"] = ["400"],
        ["bext01.dat"] = ["420"],
        ["invut.dat"] = ["415"],
        ["regaut01.dat"] = ["pass"],
        ["multi01.dat"] = ["400"],
        ["mcl01.dat"] = ["400"],
        ["bcast.dat"] = ["drop"],
        ["zeromf.dat"] = ["pass"],
        ["cparam01.dat"] = ["pass"],
        ["cparam02.dat"] = ["pass"],
        ["regescrt.dat"] = ["pass"],
        ["sdp01.dat"] = ["406", "400"],
        ["inv2543.dat"] = ["pass"],
    };

    public static TheoryData<string> Files() => [.. TortureSuite.Rows.Keys.Order()];

    [Fact]
    public void Every_message_file_has_a_row_and_an_expectation()
    {
        var files = System.IO.Directory.GetFiles(TortureSuite.Directory, "*.dat").Select(Path.GetFileName).Order().ToList();

        Assert.Equal(49, files.Count);
        Assert.Equal(files, TortureSuite.Rows.Keys.Order());
        Assert.Equal(files, Allowed.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void The_front_door_answers_as_RFC_4475_expects(string file)
    {
        var row = TortureSuite.Rows[file];

        var admission = SipAdmission.Admit(TortureSuite.Read(file), datagram: true);

        var outcome = admission.Outcome switch
        {
            SipAdmissionOutcome.Request => "pass",
            SipAdmissionOutcome.Reply => admission.Reply!.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "drop",
        };
        Assert.True(Allowed[file].Contains(outcome), $"{file} ({row[1]}, {row[3]}): got {outcome} ({admission.Reason}); RFC 4475 expects: {row[4]}");
        if (row[4].StartsWith("parse-ok", StringComparison.Ordinal))
        {
            Assert.True(SipParser.TryParse(TortureSuite.Read(file), datagram: true, out _, out var error), $"{file} must parse: {error?.Reason}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_reply_is_addressed_back_and_parses_again(string file)
    {
        var admission = SipAdmission.Admit(TortureSuite.Read(file), datagram: true);
        if (admission.Reply is not { } reply)
        {
            return;
        }

        var wire = SipWriter.Write(reply);

        Assert.True(SipParser.TryParse(wire, datagram: true, out var parsed, out var error), error?.Reason);
        var response = Assert.IsType<SipResponse>(parsed);
        Assert.Equal(reply.StatusCode, response.StatusCode);
        Assert.NotEmpty(response.Headers.Values(HeaderNames.Via));
        Assert.Contains(";tag=", response.Headers[HeaderNames.To] ?? ";tag=", StringComparison.Ordinal);
    }
}
