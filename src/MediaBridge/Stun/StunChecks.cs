using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace MediaBridge.Stun;

/// <summary>The two checksums of a STUN message, shared by reading and writing.</summary>
internal static class StunChecks
{
    public const int IntegrityLength = 20;
    public const uint FingerprintXor = 0x5354554E;

    private const int StackLimit = 1024;

    /// <summary>
    /// HMAC-SHA1 over <paramref name="prefix"/> (the message up to MESSAGE-INTEGRITY) with the header
    /// length rewritten to end just after that attribute (RFC 8489 §14.5).
    /// </summary>
    public static void Integrity(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        byte[]? rented = null;
        var scratch = prefix.Length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(prefix.Length));
        try
        {
            var copy = scratch[..prefix.Length];
            prefix.CopyTo(copy);
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)(prefix.Length - StunMessage.HeaderLength + 4 + IntegrityLength));
            HMACSHA1.HashData(key, copy, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// CRC-32 of everything before FINGERPRINT, XOR 0x5354554e (RFC 8489 §14.7). FINGERPRINT is
    /// always last, so the header length already counts it and needs no rewriting.
    /// </summary>
    public static uint Fingerprint(ReadOnlySpan<byte> prefix) => Crc32.HashToUInt32(prefix) ^ FingerprintXor;
}
