using System.Security.Cryptography;
using CsCheck;
using MediaBridge.Srtp;
using MediaBridge.Tests.Fuzz;
using static MediaBridge.Tests.Srtp.SrtpTestPackets;

namespace MediaBridge.Tests.Srtp;

/// <summary>
/// The libcrypto path against the RFCs and against the managed path it stands in for: the same bytes out for
/// random keys, salts, indexes, SSRCs and lengths, and the same refusal of anything tampered with.
/// </summary>
public sealed class SrtpLibCryptoTests
{
    private static readonly Gen<ContextCase> ContextCases = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Byte.Array[16], Gen.Byte.Array[14], Gen.Byte.Array[20], (gcm, key, salt, auth) => (Gcm: gcm, Key: key, Salt: salt, Auth: auth)),
        Gen.UInt,
        Gen.ULong[0, (1UL << 48) - 1],
        Gen.Frequency((6, Gen.Int[0, 1600]), (1, Gen.Int[1600, 9000])),
        Gen.Byte.Array[0, 40],
        Gen.Int[0, int.MaxValue],
        (k, ssrc, index, length, associated, flip) => new ContextCase(k.Gcm, k.Key, k.Salt, k.Auth, ssrc, index, length, associated, flip));

    private static readonly Gen<SessionCase> SessionCases = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Byte.Array[16], Gen.Byte.Array[14], (gcm, key, salt) => (Gcm: gcm, Key: key, Salt: salt)),
        Gen.UInt,
        Gen.UShort,
        Gen.Int[0, 1400].Array[1, 6],
        Gen.Int[0, int.MaxValue],
        (k, ssrc, sequence, lengths, flip) => new SessionCase(k.Gcm ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1_80, k.Key, k.Salt, ssrc, sequence, lengths, flip));

    [Fact]
    public void Libcrypto_is_found_on_this_platform_and_is_what_sessions_use()
    {
        Assert.True(LibCrypto.IsAvailable);
        Assert.Equal(SrtpCryptoProvider.LibCrypto, SrtpSession.DefaultCryptoProvider);
        using var session = new SrtpSession(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[12]);
        Assert.Equal(SrtpCryptoProvider.LibCrypto, session.CryptoProvider);
        using var managed = new SrtpSession(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[12], SrtpCryptoProvider.Managed);
        Assert.Equal(SrtpCryptoProvider.Managed, managed.CryptoProvider);
    }

    [Fact]
    public void Libcrypto_aes_cm_keystream_matches_rfc_3711_appendix_b2()
    {
        using var cm = new LibCryptoCounterMode(Rfc3711KeystreamVector.Key);
        var keystream = Rfc3711KeystreamVector.NewKeystream();

        Assert.True(cm.Apply(Rfc3711KeystreamVector.Iv, keystream));

        Rfc3711KeystreamVector.AssertMatches(keystream);
    }

    [Fact]
    public void Libcrypto_hmac_sha1_matches_rfc_2202_and_restarts_cleanly_between_messages()
    {
        using var hmac = new LibCryptoHmacSha1(Enumerable.Repeat((byte)0x0B, 20).ToArray());
        var hash = new byte[20];

        for (var i = 0; i < 3; i++)
        {
            Assert.True(hmac.Compute("Hi "u8, "There"u8, hash));
            Assert.Equal("B617318655057264E28BC0B6FB378C8EF146BE00", Convert.ToHexString(hash));
        }
    }

    [Fact]
    public void Libcrypto_and_managed_contexts_agree_on_random_keys_indexes_and_lengths_and_both_refuse_tampering()
    {
        FuzzRun.Check("SRTP", "libcrypto context equals managed context", ContextCases, CheckContexts, ciCases: 300);
    }

    [Fact]
    public void Libcrypto_and_managed_sessions_agree_packet_for_packet_and_interoperate_both_ways()
    {
        FuzzRun.Check("SRTP", "libcrypto session equals managed session", SessionCases, CheckSessions, ciCases: 150);
    }

    [Fact]
    public void A_disposed_libcrypto_session_refuses_use_instead_of_touching_freed_memory()
    {
        var session = Session(SrtpProfile.AeadAes128Gcm, provider: SrtpCryptoProvider.LibCrypto);
        var buffer = RtpPacket(1, 1);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.TryProtectRtp(buffer, RtpLength(buffer), out _));
    }

    private static void CheckContexts(ContextCase c)
    {
        var profile = c.Gcm ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1_80;
        var salt = c.Gcm ? c.Salt[..12] : c.Salt;
        using var managed = new SrtpCryptoContext(profile, c.Key, salt, c.Auth, SrtpCryptoProvider.Managed);
        using var native = new SrtpCryptoContext(profile, c.Key, salt, c.Auth, SrtpCryptoProvider.LibCrypto);
        var plain = RandomNumberGenerator.GetBytes(c.Length);
        var tagLength = SrtpProfiles.TagLength(profile);
        byte[] fromManaged = [.. plain], fromNative = [.. plain];
        byte[] managedTag = new byte[tagLength], nativeTag = new byte[tagLength];

        if (c.Gcm)
        {
            Assert.True(managed.TrySeal(c.Ssrc, c.Index, c.Associated, fromManaged, managedTag));
            Assert.True(native.TrySeal(c.Ssrc, c.Index, c.Associated, fromNative, nativeTag));
            Assert.Equal(fromManaged, fromNative);
            Assert.Equal(managedTag, nativeTag);

            foreach (var (opener, other) in new[] { (managed, native), (native, managed) })
            {
                byte[] data = [.. fromManaged];
                Assert.True(opener.TryOpen(c.Ssrc, c.Index, c.Associated, data, managedTag));
                Assert.Equal(plain, data);
                Assert.False(other.TryOpen(c.Ssrc, c.Index ^ 1, c.Associated, [.. fromManaged], managedTag));
                var (tamperedData, tamperedAssociated, tamperedTag) = Tamper(fromManaged, c.Associated, managedTag, c.Flip);
                Assert.False(opener.TryOpen(c.Ssrc, c.Index, tamperedAssociated, tamperedData, tamperedTag));
            }

            return;
        }

        Assert.True(managed.ApplyKeystream(c.Ssrc, c.Index, fromManaged));
        Assert.True(native.ApplyKeystream(c.Ssrc, c.Index, fromNative));
        Assert.Equal(fromManaged, fromNative);
        Assert.True(managed.Sign(fromManaged, c.Associated, managedTag));
        Assert.True(native.Sign(fromNative, c.Associated, nativeTag));
        Assert.Equal(managedTag, nativeTag);
        Assert.True(native.Verify(fromManaged, c.Associated, managedTag));
        var (data2, associated2, tag2) = Tamper(fromManaged, c.Associated, managedTag, c.Flip);
        Assert.False(managed.Verify(data2, associated2, tag2));
        Assert.False(native.Verify(data2, associated2, tag2));
    }

    private static void CheckSessions(SessionCase c)
    {
        var salt = c.Salt[..SrtpProfiles.SaltLength(c.Profile)];
        using var managedSender = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.Managed);
        using var nativeSender = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.LibCrypto);
        using var managedReceiver = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.Managed);
        using var nativeReceiver = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.LibCrypto);
        using var managedSuspicious = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.Managed);
        using var nativeSuspicious = new SrtpSession(c.Profile, c.Key, salt, SrtpCryptoProvider.LibCrypto);

        for (var i = 0; i < c.PayloadLengths.Length; i++)
        {
            var rtp = RtpPacket(c.Ssrc, (ushort)(c.Sequence + i), c.PayloadLengths[i]);
            RandomNumberGenerator.Fill(rtp.AsSpan(12, c.PayloadLengths[i]));
            var fromManaged = ProtectRtp(managedSender, rtp);
            Assert.Equal(fromManaged, ProtectRtp(nativeSender, rtp));
            AssertBothRefuseTampering(fromManaged, c.Flip + i, managedSuspicious.UnprotectRtp, nativeSuspicious.UnprotectRtp);
            AssertOpens(fromManaged, rtp[..RtpLength(rtp)], i % 2 == 0 ? nativeReceiver.UnprotectRtp : managedReceiver.UnprotectRtp);

            var rtcp = RtcpPacket(c.Ssrc);
            var fromManagedRtcp = ProtectRtcp(managedSender, rtcp);
            Assert.Equal(fromManagedRtcp, ProtectRtcp(nativeSender, rtcp));
            AssertBothRefuseTampering(fromManagedRtcp, c.Flip + i, managedSuspicious.UnprotectRtcp, nativeSuspicious.UnprotectRtcp);
            AssertOpens(fromManagedRtcp, rtcp[..RtcpLength(rtcp)], i % 2 == 0 ? managedReceiver.UnprotectRtcp : nativeReceiver.UnprotectRtcp);
        }
    }

    private delegate SrtpResult Unprotect(Span<byte> packet, out int plainLength);

    private static void AssertOpens(byte[] packet, byte[] plain, Unprotect unprotect)
    {
        byte[] copy = [.. packet];
        Assert.Equal(SrtpResult.Ok, unprotect(copy, out var length));
        Assert.Equal(plain, copy[..length]);
    }

    /// <summary>One flipped bit anywhere past the fields that make a packet well-formed (RTP's first byte, RTCP's type) is refused by both.</summary>
    private static void AssertBothRefuseTampering(byte[] packet, int flip, Unprotect managed, Unprotect native)
    {
        var bit = 16 + (flip % ((packet.Length - 2) * 8));
        byte[] forManaged = [.. packet], forNative = [.. packet];
        forManaged[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        forNative[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        Assert.NotEqual(SrtpResult.Ok, managed(forManaged, out _));
        Assert.NotEqual(SrtpResult.Ok, native(forNative, out _));
    }

    private static (byte[] Data, byte[] Associated, byte[] Tag) Tamper(byte[] data, byte[] associated, byte[] tag, int flip)
    {
        byte[] d = [.. data], a = [.. associated], t = [.. tag];
        var bits = (d.Length + a.Length + t.Length) * 8;
        var bit = flip % bits;
        var target = bit < d.Length * 8 ? d : bit < (d.Length + a.Length) * 8 ? a : t;
        var offset = bit < d.Length * 8 ? 0 : bit < (d.Length + a.Length) * 8 ? d.Length * 8 : (d.Length + a.Length) * 8;
        target[(bit - offset) / 8] ^= (byte)(1 << ((bit - offset) % 8));
        return (d, a, t);
    }


    private sealed record ContextCase(bool Gcm, byte[] Key, byte[] Salt, byte[] Auth, uint Ssrc, ulong Index, int Length, byte[] Associated, int Flip);

    private sealed record SessionCase(SrtpProfile Profile, byte[] Key, byte[] Salt, uint Ssrc, ushort Sequence, int[] PayloadLengths, int Flip);
}
