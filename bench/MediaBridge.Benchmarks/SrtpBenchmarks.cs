using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaBridge.Srtp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// SRTP on one RTP video packet with a 1,200-byte payload, for each profile. A receiver only
/// accepts a packet new to it, so unprotecting is measured together with the protecting that
/// makes each one; unprotect alone costs about the difference between the two benchmarks.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private const int PayloadLength = 1200;
    private readonly byte[] buffer = new byte[12 + PayloadLength + SrtpSession.MaxRtpOverhead];
    private SrtpSession sender = null!;
    private SrtpSession receiver = null!;
    private ushort sequence;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = Enumerable.Range(1, SrtpProfiles.KeyLength(Profile)).Select(i => (byte)i).ToArray();
        var salt = Enumerable.Range(0xA0, SrtpProfiles.SaltLength(Profile)).Select(i => (byte)i).ToArray();
        sender = new SrtpSession(Profile, key, salt);
        receiver = new SrtpSession(Profile, key, salt);
        buffer[0] = 0x80;
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0xA);
        for (var i = 0; i < PayloadLength; i++)
        {
            buffer[12 + i] = (byte)i;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        sender.Dispose();
        receiver.Dispose();
    }

    [Benchmark]
    public int Protect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), ++sequence);
        sender.TryProtectRtp(buffer, 12 + PayloadLength, out var length);
        return length;
    }

    [Benchmark]
    public int ProtectThenUnprotect()
    {
        var length = Protect();
        receiver.UnprotectRtp(buffer.AsSpan(0, length), out var plainLength);
        return plainLength;
    }
}
