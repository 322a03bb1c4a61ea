using System.Buffers.Binary;
using MediaBridge.Rtp;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// The bridge with scripted terminals on loopback: calls placed from a plan, video switched with
/// continuity and a keyframe first, the N-1 audio mix, leg events and statistics, and the ends of calls.
/// </summary>
public sealed class ConferenceTests
{
    [Fact]
    public async Task A_broadcast_switch_keeps_one_continuous_stream_that_restarts_on_a_keyframe_of_the_new_source()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1);
        await using var p2 = bridge.Phone(2);
        await using var p3 = bridge.Phone(3);
        foreach (var p in new[] { p1, p2, p3 })
        {
            Assert.Equal(200, (await p.RegisterAsync()).StatusCode);
        }

        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = "v2", ["v2"] = "v1", ["v3"] = "v1" }));
        await bridge.WaitForAsync(() => p1.InCall && p2.InCall && p3.InCall, "all three calls");
        await bridge.WaitForAsync(() => p3.Video.Count(r => TagOf(r.Packet) == 1) >= 10, "v1's picture at v3");
        var requestsBefore = p2.KeyframeRequests;

        bridge.Planner.Apply(LoopbackConference.Plan("s1", 2, new Dictionary<string, string?> { ["v1"] = "v2", ["v2"] = "v1", ["v3"] = "v2" }));
        await bridge.WaitForAsync(() => p3.Video.Count(r => TagOf(r.Packet) == 2) >= 10, "v2's picture at v3 after the switch");

        Assert.True(p2.KeyframeRequests > requestsBefore, "the new source was asked for a keyframe");
        // In the order a receiver plays them, by sequence number: at the switch the two sources' receive threads
        // send their batches independently, so their packets may leave microseconds out of order.
        var arrived = p3.Video.Select(r => r.Packet).ToList();
        var packets = arrived.OrderBy(p => (ushort)(Sequence(p) - Sequence(arrived[0]) + 1000)).ToList();
        Assert.Single(packets.Select(Ssrc).Distinct());
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(Sequence(packets[i - 1]) + 1), Sequence(packets[i]));
            Assert.True((int)(Timestamp(packets[i]) - Timestamp(packets[i - 1])) >= 0, "timestamps never go back");
        }

        var first = packets.FindIndex(p => TagOf(p) == 2);
        Assert.True(Keyframes.IsKeyframeStart(MediaBridge.Sdp.VideoCodec.Vp8, packets[first].AsSpan(12)), "the new source starts with a keyframe");
        Assert.True((packets[first - 1][1] & 0x80) != 0, "the old source's last frame was complete");
        Assert.DoesNotContain(packets.Skip(first), p => TagOf(p) == 1);
    }

    [Fact]
    public async Task Each_venue_hears_the_others_unmuted_but_never_itself()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1, toneHz: 500);
        await using var p2 = bridge.Phone(2, toneHz: 1100);
        await using var p3 = bridge.Phone(3);
        foreach (var p in new[] { p1, p2, p3 })
        {
            await p.RegisterAsync();
        }

        var views = new Dictionary<string, string?> { ["v1"] = "v2", ["v2"] = "v1", ["v3"] = "v1" };
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, views));
        await bridge.WaitForAsync(() => p1.InCall && p2.InCall && p3.InCall, "all three calls");
        await Task.Delay(600, TestContext.Current.CancellationToken);

        var atThree = Heard(p3);
        Assert.True(atThree[500] > 20 * atThree[800] && atThree[1100] > 20 * atThree[800], $"v3 hears both tones: {Show(atThree)}");
        var atOne = Heard(p1);
        Assert.True(atOne[1100] > 20 * atOne[500], $"v1 hears v2 but not itself: {Show(atOne)}");

        bridge.Planner.Apply(LoopbackConference.Plan("s1", 2, views, "v2"));
        await Task.Delay(600, TestContext.Current.CancellationToken);
        atThree = Heard(p3);
        Assert.True(atThree[500] > 20 * atThree[1100], $"muted v2 is no longer heard: {Show(atThree)}");
    }

    [Fact]
    public async Task Legs_are_reported_with_their_statistics_and_hung_up_when_they_leave()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1, toneHz: 440);
        await using var p2 = bridge.Phone(2, toneHz: 660);
        await p1.RegisterAsync();
        await p2.RegisterAsync();
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = "v2", ["v2"] = "v1" }));
        await bridge.WaitForAsync(() => bridge.Measures.Any(m => m.Measure.VenueId == "v1" && m.Measure.PacketsIn > 20), "statistics for v1");

        Assert.Contains("s1 v1 calling", bridge.Events);
        Assert.Contains("s1 v1 connected", bridge.Events);
        var stats = bridge.Measures.Last(m => m.Measure.VenueId == "v1");
        Assert.Equal(("PCMU", "VP8"), (stats.Measure.AudioCodec, stats.Measure.VideoCodec));
        Assert.Equal(Command.Contracts.Media.LegState.Connected, stats.State);
        Assert.Equal(0, stats.Measure.PacketsLost);
        Assert.True(stats.Measure.PacketsOut > 20 && stats.Measure.KbpsIn > 0);

        bridge.Planner.Apply(LoopbackConference.Plan("s1", 2, new Dictionary<string, string?> { ["v1"] = null }));
        await bridge.WaitForAsync(() => p2.Requests.Any(r => r is MediaBridge.Sip.SipRequest { Method: "BYE" }), "BYE to the venue that left");
        Assert.Contains("s1 v2 ended (the venue left the session)", bridge.Events);

        bridge.Planner.Apply(new Command.Contracts.Media.ConferencePlan("s1", false, [], 3));
        await bridge.WaitForAsync(() => p1.Requests.Any(r => r is MediaBridge.Sip.SipRequest { Method: "BYE" }), "BYE when the session ends");
        Assert.Equal(0, bridge.Media.ConferenceCount);
    }

    [Fact]
    public async Task A_terminal_not_yet_registered_is_called_once_it_registers()
    {
        await using var bridge = LoopbackConference.Start();
        await using var p1 = bridge.Phone(1);
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = null }));
        await bridge.WaitForAsync(() => bridge.Events.Contains("s1 v1 failed (the venue's terminal is not registered)"), "the failure");

        await p1.RegisterAsync();

        await bridge.WaitForAsync(() => p1.InCall, "the call after registering", seconds: 5);
    }

    [Fact]
    public async Task A_leg_whose_media_stops_is_dropped_and_its_terminal_treated_as_gone()
    {
        await using var bridge = LoopbackConference.Start();
        var p1 = bridge.Phone(1, toneHz: 440);
        await p1.RegisterAsync();
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = null }));
        await bridge.WaitForAsync(() => p1.InCall, "the call");
        await Task.Delay(300, TestContext.Current.CancellationToken);

        await p1.DisposeAsync();

        await bridge.WaitForAsync(() => bridge.Events.Contains("s1 v1 dropped (no media from the terminal)"), "the drop", seconds: 15);
        Assert.Contains("v1", bridge.LostTerminals);
    }

    private static byte TagOf(byte[] packet) => (packet[12] & 0x10) != 0 ? packet[14] : packet[13];

    private static uint Ssrc(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8));

    private static ushort Sequence(byte[] packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));

    private static uint Timestamp(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    private static Dictionary<int, double> Heard(ScriptedPhone phone) => ToneMeter.Heard(phone, 20, 500, 800, 1100);

    private static string Show(Dictionary<int, double> power) => ToneMeter.Show(power);
}
