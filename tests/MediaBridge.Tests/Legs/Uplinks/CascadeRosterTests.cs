using System.Text;
using Command.Contracts.Sessions;
using MediaBridge.Legs.Uplinks;
using MediaBridge.Sip;

namespace MediaBridge.Tests.Legs.Uplinks;

/// <summary>The roster a deployment below sends up its cascade call, as it is on the wire and as the venue's call answers it (docs/cascade.md).</summary>
public sealed class CascadeRosterTests
{
    private const string Roster =
        """{"action":"roster","venues":[{"venueId":"fs-main","name":"佛山市","status":"connected","sending":false},{"venueId":"fs-nanhai","name":"南海区","status":"joined","sending":true},{"venueId":"fs-sanshui","name":"三水区","status":"left","sending":false}]}""";

    [Fact]
    public void A_roster_info_on_a_venue_s_call_is_answered_200_with_its_venues()
    {
        var answer = CascadeRoster.Answer(Info("application/vnd.command.cascade+json", Roster));

        Assert.NotNull(answer);
        Assert.Equal(200, answer.Value.Status);
        Assert.Equal(
            [new RemoteVenue("fs-main", "佛山市", "connected", false), new RemoteVenue("fs-nanhai", "南海区", "joined", true), new RemoteVenue("fs-sanshui", "三水区", "left", false)],
            answer.Value.Venues);
    }

    [Fact]
    public void The_roster_written_below_is_the_wire_text_read_above()
    {
        var venues = new[] { new RemoteVenue("fs-main", "佛山市", "connected", false), new RemoteVenue("fs-nanhai", "南海区", "joined", true), new RemoteVenue("fs-sanshui", "三水区", "left", false) };

        Assert.Equal(Roster, Encoding.UTF8.GetString(CascadeRoster.Write(venues)));
    }

    [Fact]
    public void A_roster_is_bounded_in_venues_name_length_and_bytes()
    {
        var many = Enumerable.Range(0, 300).Select(i => new RemoteVenue($"venue-{i}", new string('名', 150), "joined", false));

        var body = CascadeRoster.Write(many);
        var read = CascadeRoster.Read(body);

        Assert.True(body.Length <= CascadeRoster.MaxBodyBytes, $"{body.Length} bytes");
        Assert.NotNull(read);
        Assert.InRange(read.Value.Length, 1, RemoteVenue.MaxVenues);
        Assert.All(read.Value, v => Assert.Equal(RemoteVenue.MaxNameLength, v.Name.Length));
        Assert.Equal("venue-0", read.Value[0].VenueId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"action":"rollcall","venueId":"fs-nanhai"}""")]
    [InlineData("""{"action":"roster"}""")]
    [InlineData("""{"action":"roster","venues":null}""")]
    [InlineData("""{"action":"roster","venues":[null]}""")]
    [InlineData("""{"action":"roster","venues":[{"venueId":"","name":"南海区","status":"joined","sending":false}]}""")]
    [InlineData("""{"action":"roster","venues":[{"venueId":"fs-nanhai","status":"joined","sending":false}]}""")]
    [InlineData("""{"action":"roster","venues":[{"venueId":"fs-nanhai","name":"南海区","status":"joined"}]}""")]
    [InlineData("""{"action":"roster","venues":[{"venueId":"fs-nanhai","name":"南海区","status":"joined","sending":"yes"}]}""")]
    [InlineData("""{"action":"roster","venues":[{"venueId":"fs-nanhai","name":"南海区","status":"a status far too long to be one","sending":false}]}""")]
    public void A_cascade_info_that_is_no_roster_is_answered_400(string body)
    {
        var answer = CascadeRoster.Answer(Info("application/vnd.command.cascade+json; charset=utf-8", body));

        Assert.NotNull(answer);
        Assert.Equal(400, answer.Value.Status);
        Assert.Empty(answer.Value.Venues);
    }

    [Fact]
    public void Too_many_venues_is_no_roster()
    {
        var venues = string.Join(",", Enumerable.Range(0, RemoteVenue.MaxVenues + 1).Select(i => $$"""{"venueId":"v{{i}}","name":"","status":"joined","sending":false}"""));

        Assert.Null(CascadeRoster.Read(Encoding.UTF8.GetBytes($$"""{"action":"roster","venues":[{{venues}}]}""")));
    }

    [Fact]
    public void An_info_of_another_type_is_left_to_the_call_as_before() =>
        Assert.Null(CascadeRoster.Answer(Info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n")));

    /// <summary>An INFO inside the upper bridge's call to the cascade venue, as the bridge below sends it.</summary>
    private static SipRequest Info(string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var wire =
            "INFO sip:bridge@127.0.0.1:5060 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 10.2.0.5:5060;branch=z9hG4bK-roster-1\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:4406@10.2.0.5>;tag=below\r\n" +
            "To: <sip:4406@127.0.0.1>;tag=above\r\n" +
            "Call-ID: cascade-call-1@127.0.0.1\r\n" +
            "CSeq: 2 INFO\r\n" +
            $"Content-Type: {contentType}\r\n" +
            $"Content-Length: {bytes.Length}\r\n" +
            "\r\n";
        var admission = SipAdmission.Admit([.. Encoding.ASCII.GetBytes(wire), .. bytes], datagram: true);
        Assert.Equal(SipAdmissionOutcome.Request, admission.Outcome);
        return admission.Request!.Message;
    }
}
