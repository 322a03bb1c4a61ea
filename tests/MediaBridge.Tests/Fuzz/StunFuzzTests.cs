using System.Buffers.Binary;
using System.Net;
using System.Text;
using CsCheck;
using MediaBridge.Stun;
using MediaBridge.Tests.Stun;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the STUN reader and writer and of the two checksums they share.</summary>
public sealed class StunFuzzTests
{
    private static readonly byte[][] Vectors = [Rfc5769.Request, Rfc5769.ResponseV4, Rfc5769.ResponseV6, Rfc5769.LongTermRequest];

    private static readonly ushort[] Types = [0x0006, 0x0014, 0x0015, 0x8022, 0x0024, 0x0025, 0x8029, 0x802A, 0x0009, 0x000A, 0x7FFF, 0xC001];

    /// <summary>A header that passes the STUN test, then attributes of arbitrary type and declared length.</summary>
    private static readonly Gen<byte[]> StunShaped = Gen.Select(Gen.Byte.Array[0, 160], Gen.Int[0, 3], Gen.Bool, (body, first, lengthMatches) =>
    {
        var packet = new byte[20 + (body.Length & ~3)];
        body.AsSpan(0, packet.Length - 20).CopyTo(packet.AsSpan(20));
        packet[0] = (byte)first;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(lengthMatches ? packet.Length - 20 : body.Length));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), StunMessage.MagicCookie);
        return packet;
    });

    private static readonly Gen<(ushort Type, byte[] Value)> Attribute =
        Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Byte.Array[0, 40], (t, v) => (Types[t], v));

    private static readonly Gen<Built> Message = Gen.Select(
        Gen.Select(Gen.Int[0, 3], Gen.Byte.Array[12, 12], (c, id) => (Type: (ushort)((c & 1) << 4 | (c & 2) << 7 | 1), Id: id)),
        Attribute.Array[0, 8],
        Gen.Select(Gen.Bool, Gen.Byte.Array[4], Gen.UShort, (v6, address, port) => (V6: v6, Address: address, Port: port)),
        Gen.Select(Gen.Bool, Gen.Byte.Array[1, 32], Gen.Bool, (integrity, key, fingerprint) => (Integrity: integrity, Key: key, Fingerprint: fingerprint)),
        (header, attributes, mapped, checks) =>
        {
            var buffer = new byte[1024];
            var writer = new StunWriter(buffer, header.Type, header.Id);
            foreach (var (type, value) in attributes)
            {
                writer.Add(type, value);
            }

            var endPoint = new IPEndPoint(mapped.V6 ? new IPAddress([.. mapped.Address, .. mapped.Address, .. mapped.Address, .. mapped.Address]) : new IPAddress(mapped.Address), mapped.Port);
            writer.AddXorMappedAddress(endPoint);
            var integrityEnd = -1;
            if (checks.Integrity)
            {
                writer.AddMessageIntegrity(checks.Key);
                integrityEnd = writer.Length;
            }

            if (checks.Fingerprint)
            {
                writer.AddFingerprint();
            }

            return new Built(writer.Written.ToArray(), header.Type, header.Id, attributes, endPoint, checks.Integrity ? checks.Key : null, checks.Fingerprint, integrityEnd);
        });

    [Fact]
    public void Random_and_mutated_datagrams_never_throw()
    {
        var gen = Gen.Frequency((2, Mutations.Of(Vectors)), (2, StunShaped), (1, Message.Select(m => m.Bytes)), (1, Gen.Byte.Array[0, 100]));
        FuzzRun.Check("STUN", "reader never throws", Gen.Frequency((3, gen), (1, Mutations.Of([.. Vectors, .. Vectors.Select(v => v[..^8])]))), Exercise, ciCases: 100_000, print: FuzzRun.Literal);
    }

    [Fact]
    public void Written_messages_read_back_every_attribute_and_pass_their_checks()
    {
        FuzzRun.Check("STUN", "write then parse round-trips", Message, m =>
        {
            Assert.True(StunMessage.TryParse(m.Bytes, out var message));
            Assert.Equal(m.Type, message.Type);
            Assert.Equal(m.TransactionId, message.TransactionId.ToArray());
            var read = new List<(ushort, byte[])>();
            foreach (var attribute in message.Attributes)
            {
                read.Add((attribute.Type, attribute.Value.ToArray()));
            }

            Assert.Equal(m.Attributes.Select(a => (a.Type, a.Value)), read.Take(m.Attributes.Length));
            foreach (var type in Types)
            {
                var first = m.Attributes.FirstOrDefault(a => a.Type == type).Value;
                Assert.Equal(first is not null, message.TryGetAttribute(type, out var value));
                Assert.Equal(first ?? [], value.ToArray());
            }

            Assert.Equal(m.Attributes.All(a => a.Type != 0x0020), message.TryGetXorMappedAddress(out var mapped));
            Assert.Equal(m.Mapped, mapped);
            Assert.Equal(m.Key is not null, message.HasMessageIntegrity);
            if (m.Key is not null)
            {
                Assert.True(message.VerifyMessageIntegrity(m.Key));
                // Not a longer key with a zero byte: HMAC pads short keys with zeros, so that is the same key.
                Assert.False(message.VerifyMessageIntegrity([.. m.Key[..^1], (byte)(m.Key[^1] ^ 1)]));
            }

            Assert.Equal(m.Fingerprint, message.HasFingerprint);
            Assert.Equal(m.Fingerprint, message.VerifyFingerprint());
        }, ciCases: 20_000);
    }

    [Fact]
    public void One_flipped_bit_never_passes_the_fingerprint_or_the_integrity_it_covers()
    {
        var gen = Gen.Select(Message.Where(m => m.Fingerprint || m.Key is not null), Gen.UInt, Gen.Int[0, 7]);
        FuzzRun.Check("STUN", "checksums agree with the writer", gen, t =>
        {
            var (m, position, bit) = t;
            var bytes = m.Bytes.ToArray();
            var at = (int)(position % (uint)bytes.Length);
            bytes[at] ^= (byte)(1 << bit);
            if (!StunMessage.TryParse(bytes, out var message))
            {
                return;
            }

            if (m.Fingerprint)
            {
                Assert.False(message.VerifyFingerprint(), $"bit {bit} of byte {at}");
            }

            if (m.Key is not null && at < m.IntegrityEnd)
            {
                Assert.False(message.VerifyMessageIntegrity(m.Key), $"bit {bit} of byte {at}");
            }
        }, ciCases: 20_000);
    }

    private static void Exercise(byte[] packet)
    {
        _ = StunMessage.TryReadHeader(packet, out _, out _);
        if (!StunMessage.TryParse(packet, out var message))
        {
            return;
        }

        foreach (var attribute in message.Attributes)
        {
            _ = attribute.Value.Length;
        }

        foreach (var type in Types)
        {
            _ = message.TryGetAttribute(type, out _);
            _ = message.TryGetUInt32(type, out _);
            _ = message.TryGetUInt64(type, out _);
            _ = message.TryGetText(type, out _);
        }

        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetErrorCode(out _, out _);
        Span<ushort> unknown = stackalloc ushort[4];
        _ = message.CollectUnknownAttributes(unknown);
        _ = message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Rfc5769.Password));
        _ = message.VerifyFingerprint();
    }

    private sealed record Built(byte[] Bytes, ushort Type, byte[] TransactionId, (ushort Type, byte[] Value)[] Attributes, IPEndPoint Mapped, byte[]? Key, bool Fingerprint, int IntegrityEnd);
}
