using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// The switching core's per-packet work: read the header, ask each receiver's switch, rewrite a
/// copy for each receiver that takes it. One incoming 1,200-byte video packet fanned out to N receivers.
/// </summary>
[MemoryDiagnoser]
public class SwitchingBenchmarks
{
    private readonly byte[] incoming = new byte[1200];
    private byte[] outgoing = [];
    private VideoSwitch[] switches = [];
    private OutgoingStream[] streams = [];
    private ushort sequence;

    [Params(1, 8, 32)]
    public int Receivers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        incoming[0] = 0x80;
        incoming[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(incoming.AsSpan(8), 0xA);
        incoming[12] = 0x41;
        outgoing = new byte[incoming.Length];
        switches = [.. Enumerable.Range(0, Receivers).Select(_ => new VideoSwitch(VideoCodec.H264))];
        streams = [.. Enumerable.Range(0, Receivers).Select(i => new OutgoingStream((uint)(0x1000 + i), 90000))];
        foreach (var s in switches)
        {
            s.Select(0xA);
        }

        incoming[12] = 0x65;
        Forward();
        incoming[12] = 0x41;
    }

    /// <summary>Returns the packets sent, so the per-packet cost is the reported time divided by <see cref="Receivers"/>.</summary>
    [Benchmark]
    public int Forward()
    {
        BinaryPrimitives.WriteUInt16BigEndian(incoming.AsSpan(2), ++sequence);
        BinaryPrimitives.WriteUInt32BigEndian(incoming.AsSpan(4), sequence * 3000u);
        if (!RtpHeader.TryRead(incoming, out var header))
        {
            return 0;
        }

        var sent = 0;
        var now = DateTime.UtcNow.Ticks;
        for (var i = 0; i < switches.Length; i++)
        {
            if (switches[i].Offer(header.Ssrc, header, incoming, now) == SwitchAction.Forward)
            {
                incoming.CopyTo(outgoing, 0);
                streams[i].Rewrite(outgoing, header, header.Ssrc, now);
                sent++;
            }
        }

        return sent;
    }
}
