using CsCheck;
using MediaBridge.Rtcp;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the compound RTCP reader and the NACK reader against the bridge's own writers.</summary>
public sealed class RtcpFuzzTests
{
    private static readonly Gen<ReportBlock> Block = Gen.Select(Gen.UInt, Gen.Byte, Gen.Int[-0x800000, 0x7FFFFF], Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt)
        .Select(t => new ReportBlock(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7));

    /// <summary>One packet of a compound: 0 SR, 1 SR with a block, 2 RR, 3 PLI, 4 FIR, 5 REMB, 6 NACK.</summary>
    private static readonly Gen<Part> Parts = Gen.Select(Gen.Int[0, 6], Gen.UInt, Block, Gen.UShort, Gen.UShort, Gen.Long[0, 100_000_000])
        .Select(t => new Part(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6));

    private static readonly Gen<(Part[] Parts, uint About, byte[] Bytes)> Compound = Gen.Select(Parts.Array[1, 6], Gen.Bool, (parts, aboutFirst) =>
    {
        var about = aboutFirst ? parts[0].Block.Ssrc : parts[^1].Block.Ssrc;
        var buffer = new byte[parts.Length * 64];
        var length = 0;
        foreach (var p in parts)
        {
            length += p.Kind switch
            {
                0 => RtcpReports.WriteSenderReport(buffer.AsSpan(length), p.Ssrc, DateTimeOffset.UnixEpoch, 1, 2, 3, null),
                1 => RtcpReports.WriteSenderReport(buffer.AsSpan(length), p.Ssrc, DateTimeOffset.UnixEpoch, 1, 2, 3, p.Block),
                2 => RtcpReports.WriteReceiverReport(buffer.AsSpan(length), p.Ssrc, p.Block),
                3 => RtcpFeedback.WritePli(buffer.AsSpan(length), p.Ssrc, p.Block.Ssrc),
                4 => RtcpFeedback.WriteFir(buffer.AsSpan(length), p.Ssrc, p.Block.Ssrc, (byte)p.First),
                5 => RtcpFeedback.WriteRemb(buffer.AsSpan(length), p.Ssrc, p.Block.Ssrc, p.Bitrate),
                _ => RtcpNack.Write(buffer.AsSpan(length), p.Ssrc, p.Block.Ssrc, p.First, p.Mask),
            };
        }

        return (parts, about, buffer[..length]);
    });

    [Fact]
    public void Random_and_mutated_compounds_never_throw()
    {
        var gen = Gen.Frequency((1, Gen.Byte.Array[0, 120]), (3, Compound.SelectMany(c => Mutations.Of([c.Bytes], 4))));
        FuzzRun.Check("RTCP", "readers never throw", Gen.Select(gen, Gen.UInt), t =>
        {
            var (packet, about) = t;
            _ = RtcpReader.IsRtcp(packet);
            _ = RtcpReader.TryRead(packet, about, out _);
            if (packet.Length >= 12)
            {
                _ = RtcpReader.TryRead(packet, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)), out _);
            }

            Span<ushort> lost = stackalloc ushort[64];
            _ = RtcpNack.Read(packet, about, lost);
        }, ciCases: 100_000, print: t => FuzzRun.Literal(t.Item1) + $" about {t.Item2}");
    }

    [Fact]
    public void Written_compounds_read_back_sender_block_keyframe_requests_and_nacks()
    {
        FuzzRun.Check("RTCP", "write then read round-trips", Compound, c =>
        {
            Assert.True(RtcpReader.TryRead(c.Bytes, c.About, out var summary));
            var reports = c.Parts.Where(p => p.Kind is 0 or 1 or 2).ToList();
            Assert.Equal(reports.Count > 0 ? reports[^1].Ssrc : 0, summary.SenderSsrc);
            var block = c.Parts.LastOrDefault(p => p.Kind is 1 or 2 && p.Block.Ssrc == c.About)?.Block;
            Assert.Equal(block, summary.Block);
            Assert.Equal(c.Parts.Any(p => p.Kind is 3 or 4), summary.KeyframeRequested);

            var expected = c.Parts.Where(p => p.Kind == 6 && p.Block.Ssrc == c.About)
                .SelectMany(p => Enumerable.Range(-1, 17).Where(bit => bit < 0 || (p.Mask & (1 << bit)) != 0).Select(bit => (ushort)(p.First + bit + 1)))
                .ToList();
            var lost = new ushort[expected.Count + 1];
            Assert.Equal(expected, lost[..RtcpNack.Read(c.Bytes, c.About, lost)]);
        }, ciCases: 30_000);
    }

    private sealed record Part(int Kind, uint Ssrc, ReportBlock Block, ushort First, ushort Mask, long Bitrate);
}
