using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace MediaBridge.Stun;

/// <summary>
/// A STUN message (RFC 8489 §5) read in place from a datagram. Parsing checks the whole attribute
/// walk up front, so lookups afterwards cannot run off the end; no input makes it throw.
/// </summary>
public readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    public const uint MagicCookie = 0x2112A442;

    private readonly ReadOnlySpan<byte> bytes;
    private readonly int integrityOffset;
    private readonly int fingerprintOffset;
    private readonly int protectedEnd;

    private StunMessage(ReadOnlySpan<byte> bytes, int integrityOffset, int fingerprintOffset, int protectedEnd)
    {
        this.bytes = bytes;
        this.integrityOffset = integrityOffset;
        this.fingerprintOffset = fingerprintOffset;
        this.protectedEnd = protectedEnd;
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public ushort Type => BinaryPrimitives.ReadUInt16BigEndian(bytes);

    public ReadOnlySpan<byte> TransactionId => bytes.Slice(8, TransactionIdLength);

    public bool HasMessageIntegrity => integrityOffset >= 0;

    public bool HasFingerprint => fingerprintOffset >= 0;

    /// <summary>Every attribute in order, including any that follow MESSAGE-INTEGRITY.</summary>
    public StunAttributeEnumerator Attributes => new(bytes);

    /// <summary>
    /// Whether a datagram on a shared port is STUN: first byte 0–3 (RFC 7983 §7), a length that is a
    /// multiple of four and the magic cookie (RFC 8489 §5).
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> packet) =>
        packet.Length >= HeaderLength
        && packet[0] <= 3
        && (BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) & 3) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) == MagicCookie;

    /// <summary>The type and transaction id of anything <see cref="IsStun"/> accepts, even if the rest is broken.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> packet, out ushort type, out ReadOnlySpan<byte> transactionId)
    {
        if (!IsStun(packet))
        {
            type = 0;
            transactionId = default;
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(packet);
        transactionId = packet.Slice(8, TransactionIdLength);
        return true;
    }

    /// <summary>
    /// Accepts a message whose length field matches the datagram and whose attributes tile it exactly,
    /// each padded to four bytes (RFC 8489 §14). FINGERPRINT must be last and four bytes long (§14.7).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out StunMessage message)
    {
        message = default;
        if (!IsStun(packet) || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length - HeaderLength)
        {
            return false;
        }

        var integrity = -1;
        var integrityEnd = -1;
        var fingerprint = -1;
        var offset = HeaderLength;
        while (offset < packet.Length)
        {
            if (fingerprint >= 0 || packet.Length - offset < 4)
            {
                return false;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var next = offset + 4 + Padded(length);
            if (next > packet.Length)
            {
                return false;
            }

            if (type == StunAttributeType.Fingerprint)
            {
                if (length != 4)
                {
                    return false;
                }

                fingerprint = offset;
            }
            else if (type == StunAttributeType.MessageIntegrity && integrity < 0)
            {
                integrity = offset;
                integrityEnd = next;
            }

            offset = next;
        }

        var end = integrity >= 0 ? integrityEnd : fingerprint >= 0 ? fingerprint : packet.Length;
        message = new StunMessage(packet, integrity, fingerprint, end);
        return true;
    }

    internal static int Padded(int length) => (length + 3) & ~3;

    /// <summary>
    /// The first instance of an attribute (RFC 8489 §14), looking no further than MESSAGE-INTEGRITY:
    /// what follows it, bar FINGERPRINT, is to be ignored (§14.5).
    /// </summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in new StunAttributeEnumerator(bytes[..protectedEnd]))
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool Has(ushort type) => TryGetAttribute(type, out _);

    public bool TryGetUInt32(ushort type, out uint value)
    {
        value = 0;
        if (!TryGetAttribute(type, out var raw) || raw.Length != 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(raw);
        return true;
    }

    public bool TryGetUInt64(ushort type, out ulong value)
    {
        value = 0;
        if (!TryGetAttribute(type, out var raw) || raw.Length != 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(raw);
        return true;
    }

    /// <summary>USERNAME, SOFTWARE and other text attributes; invalid UTF-8 is refused.</summary>
    public bool TryGetText(ushort type, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (!TryGetAttribute(type, out var raw) || !Utf8.IsValid(raw))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(raw);
        return true;
    }

    public bool TryGetXorMappedAddress([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        return TryGetAttribute(StunAttributeType.XorMappedAddress, out var raw) && XorAddress.TryRead(raw, bytes, out endPoint);
    }

    /// <summary>ERROR-CODE (RFC 8489 §14.8): class in the low three bits of the third byte, number 0–99 in the fourth.</summary>
    public bool TryGetErrorCode(out int code, [NotNullWhen(true)] out string? reason)
    {
        code = 0;
        reason = null;
        if (!TryGetAttribute(StunAttributeType.ErrorCode, out var raw) || raw.Length < 4 || raw[3] > 99
            || (raw[2] & 7) is < 3 or > 6 || !Utf8.IsValid(raw[4..]))
        {
            return false;
        }

        code = ((raw[2] & 7) * 100) + raw[3];
        reason = Encoding.UTF8.GetString(raw[4..]);
        return true;
    }

    /// <summary>
    /// Writes the distinct comprehension-required types this bridge does not understand, at most as
    /// many as <paramref name="destination"/> holds, for a 420 response (RFC 8489 §6.3.1, §14.13).
    /// </summary>
    public int CollectUnknownAttributes(Span<ushort> destination)
    {
        var count = 0;
        foreach (var attribute in new StunAttributeEnumerator(bytes[..protectedEnd]))
        {
            var type = attribute.Type;
            if (count < destination.Length && StunAttributeType.IsComprehensionRequired(type)
                && !StunAttributeType.IsUnderstood(type) && !destination[..count].Contains(type))
            {
                destination[count++] = type;
            }
        }

        return count;
    }

    /// <summary>
    /// Checks MESSAGE-INTEGRITY with <paramref name="key"/>: the password itself for short-term
    /// credentials (RFC 8489 §9.1.1), MD5(username:realm:password) for long-term ones (§9.2.2).
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (integrityOffset < 0
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[(integrityOffset + 2)..]) != StunChecks.IntegrityLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[StunChecks.IntegrityLength];
        StunChecks.Integrity(bytes[..integrityOffset], key, expected);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(integrityOffset + 4, StunChecks.IntegrityLength));
    }

    public bool VerifyFingerprint() =>
        fingerprintOffset >= 0
        && StunChecks.Fingerprint(bytes[..fingerprintOffset]) == BinaryPrimitives.ReadUInt32BigEndian(bytes[(fingerprintOffset + 4)..]);
}
