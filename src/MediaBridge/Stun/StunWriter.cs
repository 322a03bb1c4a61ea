using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MediaBridge.Stun;

/// <summary>
/// Builds a STUN message (RFC 8489 §5) in a caller's buffer, keeping the header length current after
/// every attribute so MESSAGE-INTEGRITY and FINGERPRINT can be computed in place. The buffer must be
/// large enough for everything added; a short one throws as any span write would.
/// </summary>
public ref struct StunWriter
{
    private readonly Span<byte> buffer;
    private int length;

    public StunWriter(Span<byte> buffer, ushort type, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != StunMessage.TransactionIdLength)
        {
            throw new ArgumentException("A transaction id is 12 bytes.", nameof(transactionId));
        }

        this.buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        length = StunMessage.HeaderLength;
        SetLength();
    }

    /// <summary>
    /// The value of padding bytes. Receivers ignore it (RFC 8489 §14) but integrity covers it, so the
    /// RFC 5769 vectors, which pad with spaces, can only be reproduced by choosing the same.
    /// </summary>
    public byte Padding { get; init; }

    /// <summary>Bytes written so far, which is the whole message whenever an Add call returns.</summary>
    public readonly int Length => length;

    public readonly ReadOnlySpan<byte> Written => buffer[..length];

    /// <summary>A fresh random transaction id (RFC 8489 §5: uniformly and randomly chosen).</summary>
    public static void NewTransactionId(Span<byte> destination) =>
        RandomNumberGenerator.Fill(destination[..StunMessage.TransactionIdLength]);

    public void Add(ushort type, ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(type, value.Length));
        Commit(value.Length);
    }

    public void AddText(ushort type, ReadOnlySpan<char> text)
    {
        var value = Reserve(type, Encoding.UTF8.GetByteCount(text));
        Commit(Encoding.UTF8.GetBytes(text, value));
    }

    public void AddUInt32(ushort type, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(type, 4), value);
        Commit(4);
    }

    public void AddUInt64(ushort type, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(type, 8), value);
        Commit(8);
    }

    public void AddXorMappedAddress(IPEndPoint endPoint) =>
        Commit(XorAddress.Write(endPoint, buffer, Reserve(StunAttributeType.XorMappedAddress, XorAddress.V6Length)));

    /// <summary>ERROR-CODE (RFC 8489 §14.8): code 300–699 split into class and number, then the reason.</summary>
    public void AddErrorCode(int code, ReadOnlySpan<char> reason)
    {
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code));
        }

        var value = Reserve(StunAttributeType.ErrorCode, 4 + Encoding.UTF8.GetByteCount(reason));
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Commit(4 + Encoding.UTF8.GetBytes(reason, value[4..]));
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the 16-bit types, padded like any value.</summary>
    public void AddUnknownAttributes(ReadOnlySpan<ushort> types)
    {
        var value = Reserve(StunAttributeType.UnknownAttributes, 2 * types.Length);
        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(2 * i)..], types[i]);
        }

        Commit(2 * types.Length);
    }

    /// <summary>
    /// MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 with <paramref name="key"/> over the message so
    /// far, with the length already counting this attribute.
    /// </summary>
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        var start = length;
        var value = Reserve(StunAttributeType.MessageIntegrity, StunChecks.IntegrityLength);
        length += 4 + StunChecks.IntegrityLength;
        SetLength();
        HMACSHA1.HashData(key, buffer[..start], value);
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7), which must come last.</summary>
    public void AddFingerprint()
    {
        var start = length;
        var value = Reserve(StunAttributeType.Fingerprint, 4);
        length += 8;
        SetLength();
        BinaryPrimitives.WriteUInt32BigEndian(value, StunChecks.Fingerprint(buffer[..start]));
    }

    private readonly Span<byte> Reserve(ushort type, int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer[length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(length + 2)..], (ushort)valueLength);
        return buffer.Slice(length + 4, valueLength);
    }

    private void Commit(int valueLength)
    {
        if (valueLength > ushort.MaxValue)
        {
            throw new ArgumentException("An attribute value is at most 65535 bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer[(length + 2)..], (ushort)valueLength);
        var padded = StunMessage.Padded(valueLength);
        buffer.Slice(length + 4 + valueLength, padded - valueLength).Fill(Padding);
        length += 4 + padded;
        SetLength();
    }

    private readonly void SetLength() => BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)(length - StunMessage.HeaderLength));
}
