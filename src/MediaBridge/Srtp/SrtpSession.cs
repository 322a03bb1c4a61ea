using System.Buffers.Binary;
using MediaBridge.Rtcp;
using MediaBridge.Rtp;

namespace MediaBridge.Srtp;

/// <summary>
/// One direction of SRTP and SRTCP under one master key and salt (RFC 3711 §3.2): either all
/// that we send to a peer, or all that we receive from it. Packets are transformed in place and
/// nothing is allocated per packet, except once for each new SSRC.
/// </summary>
/// <remarks>
/// Not thread-safe, by design: the caller serializes all use of one session, as a leg's single
/// send or receive loop does. Per-SSRC state is capped at <see cref="MaxStreams"/> per protocol.
/// Sending, a further SSRC is refused, since forgetting one would restart its ROC or SRTCP index
/// and reuse keystream. Receiving, the SSRC quiet longest is forgotten instead, so a peer that
/// renumbers its streams keeps working; an SSRC is only remembered once one of its packets has
/// authenticated, so forged packets cannot fill the table.
/// </remarks>
public sealed class SrtpSession : IDisposable
{
    /// <summary>The most an SRTP packet is longer than its RTP packet: the longest tag (no MKI is used).</summary>
    public const int MaxRtpOverhead = 16;

    /// <summary>The most an SRTCP packet is longer than its RTCP packet: E flag and SRTCP index, then the longest tag.</summary>
    public const int MaxRtcpOverhead = RtcpTrailerLength + 16;

    /// <summary>SSRCs remembered for each of SRTP and SRTCP.</summary>
    public const int MaxStreams = 64;

    /// <summary>A UDP datagram's limit; far longer packets would also run AES-CM's 16-bit block counter around.</summary>
    private const int MaxPacketLength = ushort.MaxValue;

    private const int RtcpHeaderLength = 8;
    private const int RtcpTrailerLength = 4;
    private const uint EncryptedFlag = 0x8000_0000;
    private const uint MaxRtcpIndex = 0x7FFF_FFFF;

    private readonly SrtpCryptoContext rtp;
    private readonly SrtpCryptoContext rtcp;
    private readonly SrtpStreamTable rtpStreams = new(MaxStreams);
    private readonly SrtpStreamTable rtcpStreams = new(MaxStreams);
    private readonly int tagLength;
    private readonly bool aead;

    /// <param name="masterKey">As long as <see cref="SrtpProfiles.KeyLength"/> says.</param>
    /// <param name="masterSalt">As long as <see cref="SrtpProfiles.SaltLength"/> says.</param>
    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(profile, masterKey, masterSalt, DefaultCryptoProvider)
    {
    }

    /// <summary>With a chosen provider, to compare them; <see cref="SrtpCryptoProvider.LibCrypto"/> throws <see cref="PlatformNotSupportedException"/> where it cannot be loaded.</summary>
    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpCryptoProvider provider)
    {
        if (masterKey.Length != SrtpProfiles.KeyLength(profile) || masterSalt.Length != SrtpProfiles.SaltLength(profile))
        {
            throw new ArgumentException($"{profile} takes a {SrtpProfiles.KeyLength(profile)}-byte master key and a {SrtpProfiles.SaltLength(profile)}-byte master salt.");
        }

        using var prf = new AesCounterMode(masterKey);
        Profile = profile;
        tagLength = SrtpProfiles.TagLength(profile);
        aead = profile == SrtpProfile.AeadAes128Gcm;
        rtp = SrtpCryptoContext.Derive(profile, prf, masterSalt, SrtpKeyDerivation.RtpEncryption, provider);
        try
        {
            rtcp = SrtpCryptoContext.Derive(profile, prf, masterSalt, SrtpKeyDerivation.RtcpEncryption, provider);
        }
        catch
        {
            rtp.Dispose();
            throw;
        }
    }

    /// <summary>From session keys already derived, as the RFC examples give them.</summary>
    internal SrtpSession(SrtpProfile profile, SrtpCryptoContext rtp, SrtpCryptoContext rtcp)
    {
        Profile = profile;
        tagLength = SrtpProfiles.TagLength(profile);
        aead = profile == SrtpProfile.AeadAes128Gcm;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    /// <summary>
    /// libcrypto where it loads and passes a known-answer check (decided once per process), else managed. Sessions
    /// made without naming a provider use it; health reporting can show it.
    /// </summary>
    public static SrtpCryptoProvider DefaultCryptoProvider => LibCrypto.IsAvailable ? SrtpCryptoProvider.LibCrypto : SrtpCryptoProvider.Managed;

    public SrtpProfile Profile { get; }

    public SrtpCryptoProvider CryptoProvider => rtp.Provider;

    internal (int Rtp, int Rtcp) StreamCounts => (rtpStreams.Count, rtcpStreams.Count);

    /// <summary>
    /// Encrypts and tags the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>]
    /// in place (RFC 3711 §3.3; RFC 7714 §7.1, with the header as associated data). The ROC of
    /// each SSRC advances as its sequence numbers wrap. False for a malformed packet, a sequence
    /// number already used or too far behind (reusing an index reuses keystream), or a new SSRC
    /// beyond <see cref="MaxStreams"/>.
    /// </summary>
    /// <param name="buffer">Has room for the tag after the packet; <see cref="MaxRtpOverhead"/> is always enough.</param>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length < 0 || length > MaxPacketLength || length > buffer.Length - tagLength || !TryGetRtpHeaderLength(buffer[..length], out var headerLength))
        {
            return false;
        }

        var packet = buffer[..length];
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var stream = rtpStreams.Find(ssrc) ?? rtpStreams.TryAdmit(ssrc);
        if (stream is null
            || !stream.Window.TryEstimateRtpIndex(BinaryPrimitives.ReadUInt16BigEndian(packet[2..]), out var index)
            || !stream.Window.IsFresh(index))
        {
            return false;
        }

        var tag = buffer.Slice(length, tagLength);
        if (aead)
        {
            if (!rtp.TrySeal(ssrc, index, packet[..headerLength], packet[headerLength..], tag))
            {
                return false;
            }
        }
        else
        {
            Span<byte> roc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            if (!rtp.ApplyKeystream(ssrc, index, packet[headerLength..]) || !rtp.Sign(packet, roc, tag))
            {
                return false;
            }
        }

        stream.Window.Accept(index);
        rtpStreams.Touch(stream);
        protectedLength = length + tagLength;
        return true;
    }

    /// <summary>
    /// Authenticates and decrypts an SRTP packet in place. The index is estimated from the
    /// sequence number (RFC 3711 §3.3.1, Appendix A) and checked against the replay window
    /// (§3.3.2) first; the ROC, highest index and window change only once the tag matches.
    /// After anything but <see cref="SrtpResult.Ok"/> the packet's bytes are unspecified.
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        var end = packet.Length - tagLength;
        if (end < RtpHeader.FixedLength || end > MaxPacketLength || !TryGetRtpHeaderLength(packet[..end], out var headerLength))
        {
            return SrtpResult.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var stream = rtpStreams.Find(ssrc);
        var window = stream?.Window ?? default;
        if (!window.TryEstimateRtpIndex(BinaryPrimitives.ReadUInt16BigEndian(packet[2..]), out var index) || !window.IsFresh(index))
        {
            return SrtpResult.Replayed;
        }

        var body = packet[..end];
        var tag = packet[end..];
        if (aead)
        {
            if (!rtp.TryOpen(ssrc, index, body[..headerLength], body[headerLength..], tag))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> roc = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
            if (!rtp.Verify(body, roc, tag))
            {
                return SrtpResult.AuthenticationFailed;
            }

            if (!rtp.ApplyKeystream(ssrc, index, body[headerLength..]))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }

        Remember(rtpStreams, stream, ssrc, index);
        plainLength = end;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Encrypts everything after the first 8 bytes of a (compound) RTCP packet in place and
    /// appends E=1 and the sender SSRC's next SRTCP index with the tag: after the index for
    /// AES-CM (RFC 3711 §3.4), before it for GCM (RFC 7714 §9). False for a malformed packet, a
    /// new SSRC beyond <see cref="MaxStreams"/>, or once an SSRC has used all 2^31 indexes, since
    /// wrapping would reuse keystream.
    /// </summary>
    /// <param name="buffer">Has room after the packet; <see cref="MaxRtcpOverhead"/> is always enough.</param>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length < 0 || length > MaxPacketLength || length > buffer.Length - RtcpTrailerLength - tagLength || !RtcpReader.IsRtcp(buffer[..length]))
        {
            return false;
        }

        var packet = buffer[..length];
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var stream = rtcpStreams.Find(ssrc) ?? rtcpStreams.TryAdmit(ssrc);
        if (stream is null || stream.NextRtcpIndex > MaxRtcpIndex)
        {
            return false;
        }

        var index = stream.NextRtcpIndex;
        var trailer = EncryptedFlag | index;
        if (aead)
        {
            Span<byte> associated = stackalloc byte[RtcpHeaderLength + RtcpTrailerLength];
            packet[..RtcpHeaderLength].CopyTo(associated);
            BinaryPrimitives.WriteUInt32BigEndian(associated[RtcpHeaderLength..], trailer);
            if (!rtcp.TrySeal(ssrc, index, associated, packet[RtcpHeaderLength..], buffer.Slice(length, tagLength)))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + tagLength)..], trailer);
        }
        else
        {
            if (!rtcp.ApplyKeystream(ssrc, index, packet[RtcpHeaderLength..]))
            {
                return false;
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], trailer);
            if (!rtcp.Sign(buffer[..(length + RtcpTrailerLength)], default, buffer.Slice(length + RtcpTrailerLength, tagLength)))
            {
                return false;
            }
        }

        stream.NextRtcpIndex = index + 1;
        rtcpStreams.Touch(stream);
        protectedLength = length + RtcpTrailerLength + tagLength;
        return true;
    }

    /// <summary>
    /// Authenticates and, when its E flag is set, decrypts an SRTCP packet in place (RFC 3711
    /// §3.4; RFC 7714 §9.1, §9.2). The SRTCP index is checked against the
    /// sender SSRC's replay window first and recorded only once the tag matches.
    /// After anything but <see cref="SrtpResult.Ok"/> the packet's bytes are unspecified.
    /// </summary>
    public SrtpResult UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        var end = packet.Length - RtcpTrailerLength - tagLength;
        if (end < RtcpHeaderLength || end > MaxPacketLength || !RtcpReader.IsRtcp(packet))
        {
            return SrtpResult.Malformed;
        }

        var trailer = BinaryPrimitives.ReadUInt32BigEndian(aead ? packet[^RtcpTrailerLength..] : packet[end..]);
        var index = trailer & MaxRtcpIndex;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var stream = rtcpStreams.Find(ssrc);
        if (stream is not null && !stream.Window.IsFresh(index))
        {
            return SrtpResult.Replayed;
        }

        var encrypted = (trailer & EncryptedFlag) != 0;
        var authentic = aead
            ? OpenRtcp(packet, end, ssrc, index, trailer, encrypted)
            : rtcp.Verify(packet[..(end + RtcpTrailerLength)], default, packet[(end + RtcpTrailerLength)..]);
        if (!authentic)
        {
            return SrtpResult.AuthenticationFailed;
        }

        if (encrypted && !aead && !rtcp.ApplyKeystream(ssrc, index, packet[RtcpHeaderLength..end]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        Remember(rtcpStreams, stream, ssrc, index);
        plainLength = end;
        return SrtpResult.Ok;
    }

    /// <summary>Releases the ciphers and clears the session salts.</summary>
    public void Dispose()
    {
        rtp.Dispose();
        rtcp.Dispose();
    }

    /// <summary>Fixed header, CSRCs and extension (RFC 3550 §5.1, §5.3.1). Padding is inside the encrypted payload, so it is not looked at.</summary>
    private static bool TryGetRtpHeaderLength(ReadOnlySpan<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < RtpHeader.FixedLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        length = RtpHeader.FixedLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return length <= packet.Length;
    }

    /// <summary>Records an authenticated packet on the receiving side.</summary>
    private static void Remember(SrtpStreamTable table, SrtpStream? stream, uint ssrc, ulong index)
    {
        stream ??= table.AdmitEvicting(ssrc);
        stream.Window.Accept(index);
        table.Touch(stream);
    }

    /// <summary>
    /// GCM over an SRTCP packet laid out header || ciphertext || tag || E|index. Associated data is
    /// the header and E|index when encrypted; otherwise the whole RTCP packet and E|index, which
    /// are made contiguous by moving E|index over the tag once the tag is put aside.
    /// </summary>
    private bool OpenRtcp(Span<byte> packet, int end, uint ssrc, uint index, uint trailer, bool encrypted)
    {
        if (encrypted)
        {
            Span<byte> associated = stackalloc byte[RtcpHeaderLength + RtcpTrailerLength];
            packet[..RtcpHeaderLength].CopyTo(associated);
            BinaryPrimitives.WriteUInt32BigEndian(associated[RtcpHeaderLength..], trailer);
            return rtcp.TryOpen(ssrc, index, associated, packet[RtcpHeaderLength..end], packet.Slice(end, tagLength));
        }

        Span<byte> tag = stackalloc byte[MaxRtpOverhead];
        packet.Slice(end, tagLength).CopyTo(tag);
        BinaryPrimitives.WriteUInt32BigEndian(packet[end..], trailer);
        return rtcp.TryOpen(ssrc, index, packet[..(end + RtcpTrailerLength)], [], tag[..tagLength]);
    }
}
