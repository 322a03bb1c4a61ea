using System.Buffers.Binary;
using MediaBridge.Audio;
using MediaBridge.Conference;
using MediaBridge.Tests.Audio;

namespace MediaBridge.Tests.Conference;

public sealed class SpeakerMixTests
{
    [Fact]
    public void Ten_legs_with_two_speakers_encode_one_shared_mix_that_the_eight_listeners_receive_byte_for_byte()
    {
        using var harness = new RoomHarness();
        var legs = Enumerable.Range(0, 10).Select(i => harness.Add($"v{i}", RoomHarness.Opus).Leg).ToList();
        const int frames = 10;
        for (var f = 0; f < frames; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : l == legs[1] ? 1000 : 0);
        }

        Assert.Equal([legs[0].Id, legs[1].Id], harness.Room.Speakers.Order());
        var encodes = legs.Sum(l => l.Voice!.Encoded) + harness.Room.SharedVoices.Sum(v => v.Encoded);
        Assert.Equal(3 * frames, encodes);
        var listeners = harness.Legs.Skip(2).Select(l => l.Audio.Sent).ToList();
        for (var f = 0; f < frames; f++)
        {
            var payload = listeners[0][f].AsSpan(12).ToArray();
            Assert.All(listeners, sent => Assert.Equal(payload, sent[f].AsSpan(12).ToArray()));
            Assert.NotEqual(payload, harness.Legs[0].Audio.Sent[f].AsSpan(12).ToArray());
        }

        var ssrcs = harness.Legs.Select(l => BinaryPrimitives.ReadUInt32BigEndian(l.Audio.Sent[0].AsSpan(8))).ToHashSet();
        Assert.Equal(10, ssrcs.Count);
    }

    [Fact]
    public void Speakers_hear_the_other_speakers_but_not_themselves_and_listeners_hear_all_speakers()
    {
        using var harness = new RoomHarness();
        var legs = Enumerable.Range(0, 10).Select(i => harness.Add($"v{i}", RoomHarness.Pcmu).Leg).ToList();
        for (var f = 0; f < 20; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : l == legs[1] ? 1000 : 0);
        }

        var first = Heard(harness.Legs[0].Audio);
        var second = Heard(harness.Legs[1].Audio);
        var listener = Heard(harness.Legs[7].Audio);
        Assert.True(first[1000] > 1000 && first[440] < 100, Show(first));
        Assert.True(second[440] > 1000 && second[1000] < 100, Show(second));
        Assert.True(listener[440] > 1000 && listener[1000] > 1000, Show(listener));
    }

    [Fact]
    public void Listeners_of_each_format_share_one_encoding_of_the_common_mix()
    {
        using var harness = new RoomHarness();
        var legs = Enumerable.Range(0, 10).Select(i => harness.Add($"v{i}", i % 2 == 0 ? RoomHarness.Opus : RoomHarness.Pcmu).Leg).ToList();
        for (var f = 0; f < 5; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : l == legs[1] ? 1000 : 0);
        }

        Assert.Equal(2, harness.Room.SharedVoices.Count);
        Assert.All(harness.Room.SharedVoices, v => Assert.Equal(5, v.Encoded));
        Assert.All(legs.Skip(2), l => Assert.Equal(0, l.Voice!.Encoded));
    }

    [Fact]
    public void A_leg_that_becomes_a_speaker_and_stops_being_one_keeps_continuous_sequence_numbers_and_timestamps()
    {
        using var harness = new RoomHarness(speakers: 1);
        var legs = Enumerable.Range(0, 4).Select(i => harness.Add($"v{i}", RoomHarness.Opus).Leg).ToList();
        var roles = new List<bool>();
        for (var f = 0; f < 100; f++)
        {
            harness.Tick(f, l => (f, l == legs[0], l == legs[1]) switch
            {
                ( >= 10 and < 40, true, _) => 440,
                ( >= 40, _, true) => 1000,
                _ => 0,
            });
            roles.Add(harness.Room.Speakers.Contains(legs[0].Id));
        }

        Assert.False(roles[5]);
        Assert.True(roles[20]);
        Assert.False(roles[99]);
        Assert.Equal([legs[1].Id], harness.Room.Speakers);
        var sent = harness.Legs[0].Audio.Sent;
        Assert.Equal(100, sent.Count);
        for (var i = 1; i < sent.Count; i++)
        {
            Assert.Equal((ushort)(Sequence(sent[i - 1]) + 1), Sequence(sent[i]));
            Assert.Equal(Timestamp(sent[i - 1]) + 960, Timestamp(sent[i]));
            Assert.Equal(Ssrc(sent[0]), Ssrc(sent[i]));
        }
    }

    [Fact]
    public void A_muted_venue_is_never_a_speaker_and_nobody_hears_it()
    {
        using var harness = new RoomHarness();
        var legs = Enumerable.Range(0, 6).Select(i => harness.Add($"v{i}", RoomHarness.Pcmu).Leg).ToList();
        for (var f = 0; f < 10; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : l == legs[1] ? 1000 : 0);
        }

        Assert.Contains(legs[0].Id, harness.Room.Speakers);
        harness.Room.Route(new Dictionary<string, (bool, string?, string?)> { ["v0"] = (true, null, null) });
        for (var f = 10; f < 30; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : l == legs[1] ? 1000 : 0);
        }

        Assert.DoesNotContain(legs[0].Id, harness.Room.Speakers);
        Assert.Contains(legs[1].Id, harness.Room.Speakers);
        var listener = Heard(harness.Legs[4].Audio);
        Assert.True(listener[440] < 100 && listener[1000] > 1000, Show(listener));
        Assert.Equal(harness.Legs[4].Audio.Sent[^1].AsSpan(12).ToArray(), harness.Legs[0].Audio.Sent[^1].AsSpan(12).ToArray());
    }

    [Fact]
    public void A_small_room_still_hears_everyone_unmuted_but_itself()
    {
        using var harness = new RoomHarness(speakers: 3);
        var legs = Enumerable.Range(0, 3).Select(i => harness.Add($"v{i}", RoomHarness.Pcmu).Leg).ToList();
        for (var f = 0; f < 10; f++)
        {
            harness.Tick(f, l => l == legs[0] ? 440 : 0);
        }

        var quiet = Heard(harness.Legs[1].Audio);
        var talker = Heard(harness.Legs[0].Audio);
        Assert.True(quiet[440] > 1000, Show(quiet));
        Assert.True(talker[440] < 100, Show(talker));
    }

    [Fact]
    public void A_frame_allocates_nothing_once_the_room_is_running()
    {
        using var harness = new RoomHarness();
        var legs = Enumerable.Range(0, 10).Select(i => harness.Add($"v{i}", i % 2 == 0 ? RoomHarness.Opus : RoomHarness.Pcmu).Leg).ToList();
        var frames = Enumerable.Range(0, 10).Select(i => RoomHarness.Tone(i < 4 ? 300 + (100 * i) : 0, 0)).ToList();
        void Frame()
        {
            for (var i = 0; i < legs.Count; i++)
            {
                legs[i].Fifo.Write(frames[i]);
            }

            harness.Room.Tick(MediaBridge.Rtp.MediaClock.NowTicks);
        }

        for (var f = 0; f < 20; f++)
        {
            Frame();
        }

        harness.Legs.ForEach(l => l.Audio.Recording = false);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Frame();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 100, $"{allocated} bytes");
    }

    private static Dictionary<int, double> Heard(RecordingPath path)
    {
        var pcm = path.Sent.TakeLast(5).SelectMany(p =>
        {
            var samples = new short[p.Length - 12];
            G711.Decode(PayloadKind.Pcmu, p.AsSpan(12), samples);
            return samples;
        }).ToArray();
        return new[] { 440, 1000 }.ToDictionary(hz => hz, hz => Signal.Amplitude(pcm, hz, 8000));
    }

    private static string Show(Dictionary<int, double> heard) => string.Join(", ", heard.Select(h => $"{h.Key} Hz {h.Value:F0}"));

    private static ushort Sequence(byte[] packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));

    private static uint Timestamp(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));

    private static uint Ssrc(byte[] packet) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8));
}
