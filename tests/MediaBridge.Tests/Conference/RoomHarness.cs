using MediaBridge.Conference;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// A conference room with legs that need no sockets: each leg's outgoing audio is recorded, and its incoming
/// audio is written straight into its mix queue, one 20 ms frame at a time, before the room's clock ticks.
/// </summary>
public sealed class RoomHarness : IDisposable
{
    private static uint nextId = 9000;

    public RoomHarness(int speakers = 3) => Room = new ConferenceRoom($"s-{Guid.NewGuid():N}", speakers);

    public ConferenceRoom Room { get; }

    public List<(ConferenceLeg Leg, RecordingPath Audio)> Legs { get; } = [];

    public static SdpCodec Opus => new(111, "opus", 48000, 2);

    public static SdpCodec Pcmu => new(0, "PCMU", 8000);

    public (ConferenceLeg Leg, RecordingPath Audio) Add(string venueId, SdpCodec codec)
    {
        var path = new RecordingPath();
        var leg = new ConferenceLeg(Interlocked.Increment(ref nextId), Room.SessionId, venueId, _ =>
        {
            var audio = new LegStream(path, codec.ClockRate);
            var video = new LegStream(new RecordingPath(), 90000);
            return (audio, video, new IdleTransport());
        });
        Room.Add(leg);
        Room.Negotiated(leg, new NegotiatedMedia(new NegotiatedStream(codec, null, null, null, true, MediaDirection.SendRecv), null, VideoCodec.Vp8));
        Legs.Add((leg, path));
        return (leg, path);
    }

    /// <summary>One frame: each leg with a signal sends it (a tone, or silence for 0 Hz), the others send nothing; then the clock ticks.</summary>
    public void Tick(int frame, Func<ConferenceLeg, double?> hertz)
    {
        foreach (var (leg, _) in Legs)
        {
            if (hertz(leg) is { } hz)
            {
                leg.Fifo.Write(Tone(hz, frame));
            }
        }

        Room.Tick(MediaBridge.Rtp.MediaClock.NowTicks);
    }

    public static short[] Tone(double hertz, int frame) =>
        [.. Enumerable.Range(frame * LegVoice.FrameSamples, LegVoice.FrameSamples)
            .Select(i => (short)Math.Round(hertz == 0 ? 0 : 8000 * Math.Sin(2 * Math.PI * hertz * i / LegVoice.MixRate)))];

    public void Dispose() => Room.Dispose();

    private sealed class IdleTransport : ILegTransport
    {
        public void Start(LegPacketHandler deliver)
        {
        }

        public void Dispose()
        {
        }
    }
}
