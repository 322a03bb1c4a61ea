using System.Buffers.Binary;
using System.Net;

namespace MediaBridge.Stun;

/// <summary>
/// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the port is XORed with the top 16 bits of the magic cookie,
/// an IPv4 address with the cookie, an IPv6 address with the cookie followed by the transaction id.
/// </summary>
internal static class XorAddress
{
    public const int V4Length = 8;
    public const int V6Length = 20;

    private const byte FamilyV4 = 0x01;
    private const byte FamilyV6 = 0x02;

    /// <summary>
    /// The header of <paramref name="message"/> (cookie and transaction id) supplies the mask.
    /// An IPv4 address seen through a dual-stack socket is written as IPv4, as the peer knows it.
    /// </summary>
    public static int Write(IPEndPoint endPoint, ReadOnlySpan<byte> header, Span<byte> value)
    {
        Span<byte> address = stackalloc byte[16];
        endPoint.Address.TryWriteBytes(address, out var written);
        if (written == 16 && endPoint.Address.IsIPv4MappedToIPv6)
        {
            address[12..16].CopyTo(address);
            written = 4;
        }

        value[0] = 0;
        value[1] = written == 4 ? FamilyV4 : FamilyV6;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(endPoint.Port ^ (StunMessage.MagicCookie >> 16)));
        for (var i = 0; i < written; i++)
        {
            value[4 + i] = (byte)(address[i] ^ header[4 + i]);
        }

        return 4 + written;
    }

    public static bool TryRead(ReadOnlySpan<byte> value, ReadOnlySpan<byte> header, out IPEndPoint? endPoint)
    {
        endPoint = null;
        var size = value.Length switch
        {
            V4Length when value[1] == FamilyV4 => 4,
            V6Length when value[1] == FamilyV6 => 16,
            _ => 0,
        };
        if (size == 0)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        for (var i = 0; i < size; i++)
        {
            address[i] = (byte)(value[4 + i] ^ header[4 + i]);
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunMessage.MagicCookie >> 16);
        endPoint = new IPEndPoint(new IPAddress(address[..size]), port);
        return true;
    }
}
