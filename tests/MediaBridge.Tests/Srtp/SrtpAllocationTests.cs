using System.Buffers.Binary;
using MediaBridge.Srtp;
using static MediaBridge.Tests.Srtp.SrtpTestPackets;

namespace MediaBridge.Tests.Srtp;

public sealed class SrtpAllocationTests
{
    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, SrtpCryptoProvider.Managed)]
    [InlineData(SrtpProfile.AeadAes128Gcm, SrtpCryptoProvider.Managed)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, SrtpCryptoProvider.LibCrypto)]
    [InlineData(SrtpProfile.AeadAes128Gcm, SrtpCryptoProvider.LibCrypto)]
    public void Protecting_and_unprotecting_video_packets_allocates_nothing(SrtpProfile profile, SrtpCryptoProvider provider)
    {
        using var sender = Session(profile, provider: provider);
        using var receiver = Session(profile, provider: provider);
        var buffer = RtpPacket(0xA, 0, payloadLength: 1200);
        var length = RtpLength(buffer);
        var failures = Run(sender, receiver, buffer, length, 0, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        failures += Run(sender, receiver, buffer, length, 100, 1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, SrtpCryptoProvider.Managed)]
    [InlineData(SrtpProfile.AeadAes128Gcm, SrtpCryptoProvider.Managed)]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80, SrtpCryptoProvider.LibCrypto)]
    [InlineData(SrtpProfile.AeadAes128Gcm, SrtpCryptoProvider.LibCrypto)]
    public void Protecting_and_unprotecting_rtcp_allocates_nothing(SrtpProfile profile, SrtpCryptoProvider provider)
    {
        using var sender = Session(profile, provider: provider);
        using var receiver = Session(profile, provider: provider);
        var buffer = RtcpPacket(0xA);
        var length = RtcpLength(buffer);
        var failures = RunRtcp(sender, receiver, buffer, length, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        failures += RunRtcp(sender, receiver, buffer, length, 1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    private static int Run(SrtpSession sender, SrtpSession receiver, byte[] buffer, int length, int first, int count)
    {
        var failures = 0;
        for (var i = first; i < first + count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)i);
            if (!sender.TryProtectRtp(buffer, length, out var protectedLength)
                || receiver.UnprotectRtp(buffer.AsSpan(0, protectedLength), out var plainLength) != SrtpResult.Ok
                || plainLength != length)
            {
                failures++;
            }
        }

        return failures;
    }

    private static int RunRtcp(SrtpSession sender, SrtpSession receiver, byte[] buffer, int length, int count)
    {
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            if (!sender.TryProtectRtcp(buffer, length, out var protectedLength)
                || receiver.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out var plainLength) != SrtpResult.Ok
                || plainLength != length)
            {
                failures++;
            }
        }

        return failures;
    }
}
