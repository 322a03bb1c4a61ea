using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaBridge.Srtp;

namespace MediaBridge.Benchmarks;

/// <summary>
/// SRTP and SRTCP on one packet, for each profile, payload size and crypto provider. A receiver only accepts a
/// packet new to it, so unprotecting is measured together with the protecting that makes each one; unprotect
/// alone costs about the difference between the two benchmarks. bench/srtp-vs-openssl.sh sets these beside
/// <c>openssl speed</c> run in the same session.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks
{
    private byte[] buffer = [];
    private byte[] rtcp = [];
    private int rtcpLength;
    private SrtpSession sender = null!;
    private SrtpSession receiver = null!;
    private ushort sequence;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    [Params(SrtpCryptoProvider.Managed, SrtpCryptoProvider.LibCrypto)]
    public SrtpCryptoProvider Provider { get; set; }

    [Params(160, 1200)]
    public int PayloadLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = Enumerable.Range(1, SrtpProfiles.KeyLength(Profile)).Select(i => (byte)i).ToArray();
        var salt = Enumerable.Range(0xA0, SrtpProfiles.SaltLength(Profile)).Select(i => (byte)i).ToArray();
        sender = new SrtpSession(Profile, key, salt, Provider);
        receiver = new SrtpSession(Profile, key, salt, Provider);
        buffer = new byte[12 + PayloadLength + SrtpSession.MaxRtpOverhead];
        buffer[0] = 0x80;
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0xA);
        for (var i = 0; i < PayloadLength; i++)
        {
            buffer[12 + i] = (byte)i;
        }

        // A sender report of the same size as the RTP packet, so SRTCP is compared like for like.
        rtcpLength = 12 + PayloadLength;
        rtcp = new byte[rtcpLength + SrtpSession.MaxRtcpOverhead];
        rtcp[0] = 0x80;
        rtcp[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(2), (ushort)((rtcpLength / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(4), 0xA);
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

    [Benchmark]
    public int ProtectRtcp()
    {
        sender.TryProtectRtcp(rtcp, rtcpLength, out var length);
        return length;
    }

    [Benchmark]
    public int ProtectThenUnprotectRtcp()
    {
        var length = ProtectRtcp();
        receiver.UnprotectRtcp(rtcp.AsSpan(0, length), out var plainLength);
        return plainLength;
    }
}
