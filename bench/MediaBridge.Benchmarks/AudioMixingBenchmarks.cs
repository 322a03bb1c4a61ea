using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaBridge.Audio;
using MediaBridge.Conference;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// The media clock's audio work for one room and one 20 ms frame: 100 browser legs (Opus) and 100 SIP legs
/// (PCMU), 3 of them talking and the others sending faint noise. <see cref="PerLegMix"/> is the mixing the bridge
/// did before speakers were picked (every leg its own N-1 mix on its own encoder, as ConferenceRoom.Tick did);
/// <see cref="SharedMix"/> is the room's clock step as it is now. Reported time ÷ 20 ms is the share of a core
/// the clock needs for this room. Decoding happens on the receive threads and is not counted in either;
/// the packets go to a path that only counts them, so neither counts SRTP or sockets.
/// </summary>
[MemoryDiagnoser]
public class AudioMixingBenchmarks
{
    private const int Browsers = 100;
    private const int Phones = 100;
    private const int Talkers = 3;
    private const int Frames = 50;

    private readonly short[][][] input = new short[Browsers + Phones][][];
    private readonly NMinusOneMixer mixer = new(LegVoice.FrameSamples);
    private readonly short[] rendered = new short[LegVoice.FrameSamples];
    private readonly byte[] scratch = new byte[RtpSocket.MaxPacket];
    private readonly CountingPath sink = new();
    private LegVoice[] voices = [];
    private short[][] frames = [];
    private ConferenceRoom room = null!;
    private List<ConferenceLeg> legs = [];
    private int frame;
    private ushort sequence;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = new short[Frames][];
            for (var f = 0; f < Frames; f++)
            {
                input[i][f] = [.. Enumerable.Range(f * LegVoice.FrameSamples, LegVoice.FrameSamples).Select(s => i < Talkers
                    ? (short)(6000 * Math.Sin(2 * Math.PI * (300 + (150 * i)) * s / LegVoice.MixRate) * (0.6 + (0.4 * Math.Sin(s / 2000.0))))
                    : (short)random.Next(-100, 100))];
            }
        }

        voices = [.. Enumerable.Range(0, input.Length).Select(i => LegVoice.For(Codec(i)))];
        frames = [.. Enumerable.Range(0, input.Length).Select(_ => new short[LegVoice.FrameSamples])];
        room = new ConferenceRoom("bench", SpeakerSelector.DefaultCount);
        legs = [.. Enumerable.Range(0, input.Length).Select(i =>
        {
            var leg = new ConferenceLeg((uint)(i + 1), "bench", $"v{i}", _ => (new LegStream(new CountingPath(), 8000), new LegStream(new CountingPath(), 90000), new IdleTransport()));
            room.Add(leg);
            room.Negotiated(leg, new NegotiatedMedia(new NegotiatedStream(Codec(i), null, null, null, true, MediaDirection.SendRecv), null, VideoCodec.None));
            return leg;
        })];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        room.Dispose();
        foreach (var voice in voices)
        {
            voice.Dispose();
        }
    }

    /// <summary>Every leg its own N-1 mix, encoded on its own encoder, under one lock.</summary>
    [Benchmark(Baseline = true)]
    public void PerLegMix()
    {
        var f = frame++ % Frames;
        mixer.Begin();
        for (var i = 0; i < voices.Length; i++)
        {
            input[i][f].CopyTo(frames[i], 0);
            mixer.Add(frames[i]);
        }

        for (var i = 0; i < voices.Length; i++)
        {
            mixer.Render(frames[i], contributed: true, rendered);
            var length = voices[i].Encode(rendered, scratch.AsSpan(RtpHeader.FixedLength));
            var packet = scratch.AsSpan(0, RtpHeader.FixedLength + length);
            packet[0] = 0x80;
            packet[1] = (byte)voices[i].Codec.PayloadType;
            RtpHeader.Rewrite(packet, sequence++, (uint)(frame * voices[i].TimestampStep), (uint)i);
            sink.SendRtp(packet);
        }
    }

    /// <summary>The room's clock step: the 3 speakers' own N-1 mixes and one shared mix per format.</summary>
    [Benchmark]
    public void SharedMix()
    {
        var f = frame++ % Frames;
        for (var i = 0; i < legs.Count; i++)
        {
            legs[i].Fifo.Write(input[i][f]);
        }

        room.Tick(MediaClock.NowTicks);
    }

    private static SdpCodec Codec(int leg) => leg % 2 == 0 ? new SdpCodec(111, "opus", 48000, 2) : new SdpCodec(0, "PCMU", 8000);

    private sealed class CountingPath : IStreamPath
    {
        public long Bytes { get; private set; }

        public int LocalPort => 0;

        public bool CanSendRtp => true;

        public bool CanSendRtcp => false;

        public void Negotiate(NegotiatedStream stream)
        {
        }

        public void SendRtp(ReadOnlySpan<byte> packet) => Bytes += BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) == 0 ? 0 : packet.Length;

        public void SendRtcp(ReadOnlySpan<byte> packet)
        {
        }

        public void Dispose()
        {
        }
    }

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
