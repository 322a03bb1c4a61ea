namespace MediaBridge.Tests.Conference;

/// <summary>Terminals calling <c>sip:{sessionId}@bridge</c>: who gets in, what is refused and how, and hanging up.</summary>
public sealed class DialInTests
{
    private static readonly Dictionary<string, string?> OneVenue = new() { ["v1"] = null, ["v2"] = "v1" };

    [Fact]
    public async Task A_venue_of_a_live_session_dials_in_with_its_credentials_and_media_flows()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1, toneHz: 440);
        bridge.Planner.Apply(LoopbackConference.Plan("s2", 1, OneVenue));

        var answer = await p1.DialAsync("s2");

        Assert.Equal(200, answer.StatusCode);
        Assert.Contains("m=video", System.Text.Encoding.UTF8.GetString(answer.Body.Span), StringComparison.Ordinal);
        await bridge.WaitForAsync(() => bridge.Events.Contains("s2 v1 connected"), "the connected leg");
        await bridge.WaitForAsync(() => bridge.Measures.Any(m => m.Measure.VenueId == "v1" && m.Measure.PacketsIn > 10), "media from the caller");

        Assert.Equal(200, (await p1.HangUpAsync()).StatusCode);
        await bridge.WaitForAsync(() => bridge.Events.Contains("s2 v1 dropped (the terminal hung up)"), "the hang-up");
    }

    [Fact]
    public async Task Calls_to_no_live_session_from_an_outsider_or_with_nothing_usable_are_refused_with_the_right_status()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1);
        await using var p3 = bridge.Phone(3);
        bridge.Planner.Apply(LoopbackConference.Plan("s2", 1, OneVenue));

        Assert.Equal(404, (await p1.DialAsync("no-such-session")).StatusCode);
        Assert.Equal(403, (await p3.DialAsync("s2")).StatusCode);
        var h263 = (await p1.DialAsync("s2", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 40000 RTP/AVP 34\r\na=rtpmap:34 H263/90000\r\n"));
        Assert.Equal(488, h263.StatusCode);
        Assert.Contains("305", h263.Headers["Warning"], StringComparison.Ordinal);
        Assert.Equal(400, (await p1.DialAsync("s2", "v=1\r\nnonsense\r\n")).StatusCode);
        Assert.Equal(0, bridge.Media.LegCount);
        Assert.DoesNotContain(bridge.Events, e => e.Contains("connected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_is_challenged_and_never_let_in()
    {
        await using var bridge = LoopbackConference.Start();
        await using var impostor = new ScriptedPhone("2101", "guessed", 1, bridge.SipEndPoint);
        bridge.Planner.Apply(LoopbackConference.Plan("s2", 1, OneVenue));

        Assert.Equal(401, (await impostor.DialAsync("s2")).StatusCode);
        Assert.Equal(0, bridge.Media.LegCount);
    }

    [Fact]
    public async Task Requests_outside_any_call_get_481()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1);
        foreach (var method in new[] { "BYE", "CANCEL", "INFO" })
        {
            var response = await p1.SendRawAsync(
                $"{method} sip:bridge@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {{me}};branch=z9hG4bK-{method}-{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:2101@127.0.0.1>;tag=a\r\nTo: <sip:bridge@127.0.0.1>;tag=b\r\nCall-ID: nothing-{method}\r\nCSeq: 5 {method}\r\nContent-Length: 0\r\n\r\n");
            Assert.Equal(481, response.StatusCode);
        }
    }
}
