using System.Buffers.Binary;
using System.Net;
using System.Text;
using MediaBridge.Stun;

namespace MediaBridge.Tests.Stun;

public sealed class StunRobustnessTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769.Password);

    [Theory]
    [InlineData("80 60 00 01  00 00 00 00  00 00 00 01  00 00 00 00  00 00 00 00", false)]
    [InlineData("16 fe fd 00  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00", false)]
    [InlineData("04 01 00 00  21 12 a4 42  00 00 00 00  00 00 00 00  00 00 00 00", false)]
    [InlineData("00 01 00 02  21 12 a4 42  00 00 00 00  00 00 00 00  00 00 00 00", false)]
    [InlineData("00 01 00 00  21 12 a4 43  00 00 00 00  00 00 00 00  00 00 00 00", false)]
    [InlineData("00 01 00 00  21 12 a4 42  00 00 00 00  00 00 00 00  00 00 00", false)]
    [InlineData("00 01 00 00  21 12 a4 42  00 00 00 00  00 00 00 00  00 00 00 00", true)]
    [InlineData("03 ff 00 04  21 12 a4 42  00 00 00 00  00 00 00 00  00 00 00 00", true)]
    public void Stun_is_told_from_rtp_and_dtls_by_first_byte_length_and_cookie(string hex, bool stun)
    {
        Assert.Equal(stun, StunMessage.IsStun(Rfc5769.Hex(hex)));
    }

    [Fact]
    public void Every_truncation_of_every_vector_is_refused_without_throwing()
    {
        foreach (var vector in Vectors())
        {
            for (var length = 0; length < vector.Length; length++)
            {
                Assert.False(StunMessage.TryParse(vector.AsSpan(0, length), out _));
                Exercise(vector.AsSpan(0, length));
            }
        }
    }

    [Fact]
    public void A_header_length_that_disagrees_with_the_datagram_is_refused()
    {
        var longer = (byte[])Rfc5769.Request.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(longer.AsSpan(2), (ushort)(longer.Length - 20 + 4));
        var padded = Rfc5769.Request.Concat(new byte[4]).ToArray();

        Assert.False(StunMessage.TryParse(longer, out _));
        Assert.False(StunMessage.TryParse(padded, out _));
    }

    [Fact]
    public void Every_attribute_length_that_overruns_the_message_is_refused()
    {
        var usernameLengthAt = 20 + 20 + 8 + 12 + 2;
        for (var length = 0; length <= ushort.MaxValue; length++)
        {
            var lying = (byte[])Rfc5769.Request.Clone();
            BinaryPrimitives.WriteUInt16BigEndian(lying.AsSpan(usernameLengthAt), (ushort)length);
            var parsed = StunMessage.TryParse(lying, out _);
            if (length > lying.Length - usernameLengthAt - 2)
            {
                Assert.False(parsed);
            }

            Exercise(lying);
        }
    }

    [Fact]
    public void Fingerprint_must_be_last_and_four_bytes()
    {
        var buffer = new byte[128];
        var after = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.TransactionId);
        after.AddFingerprint();
        after.AddText(StunAttributeType.Software, "late");
        Assert.False(StunMessage.TryParse(after.Written, out _));

        var wide = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.TransactionId);
        wide.AddUInt64(StunAttributeType.Fingerprint, 0);
        Assert.False(StunMessage.TryParse(wide.Written, out _));
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored_and_integrity_still_holds()
    {
        var buffer = new byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.TransactionId);
        writer.AddText(StunAttributeType.Username, Rfc5769.Username);
        writer.AddMessageIntegrity(Key);
        writer.AddText(StunAttributeType.Software, "appended");
        writer.AddUInt32(0x0003, 0);
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
        Assert.False(message.Has(StunAttributeType.Software));
        Assert.Equal(0, message.CollectUnknownAttributes(new ushort[4]));
        var types = new List<ushort>();
        foreach (var attribute in message.Attributes)
        {
            types.Add(attribute.Type);
        }

        Assert.Equal([StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.Software, 0x0003, StunAttributeType.Fingerprint], types);
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_listed_once_each()
    {
        var buffer = new byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.TransactionId);
        writer.AddUInt32(0x0003, 0);
        writer.AddText(StunAttributeType.Username, Rfc5769.Username);
        writer.Add(0x7FFF, []);
        writer.Add(0x8123, [1, 2, 3]);
        writer.AddUInt32(0x0003, 1);
        writer.AddUInt32(StunAttributeType.Priority, 1);

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        var unknown = new ushort[4];
        var count = message.CollectUnknownAttributes(unknown);
        Assert.Equal([(ushort)0x0003, (ushort)0x7FFF], unknown[..count]);
        Assert.Equal(1, message.CollectUnknownAttributes(unknown.AsSpan(0, 1)));
    }

    [Fact]
    public void An_error_response_carries_its_code_reason_and_unknown_attributes()
    {
        var buffer = new byte[128];
        var writer = new StunWriter(buffer, StunMessageType.BindingErrorResponse, Rfc5769.TransactionId);
        writer.AddErrorCode(420, "Unknown Attribute");
        writer.AddUnknownAttributes([0x0003]);
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.True(message.TryGetErrorCode(out var code, out var reason));
        Assert.Equal(420, code);
        Assert.Equal("Unknown Attribute", reason);
        Assert.True(message.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknown));
        Assert.Equal([0x00, 0x03], unknown.ToArray());
        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [InlineData("00 00 02 00")]
    [InlineData("00 00 07 00")]
    [InlineData("00 00 04 64")]
    [InlineData("00 00 04")]
    public void An_error_code_out_of_range_is_refused(string value)
    {
        var buffer = new byte[64];
        var writer = new StunWriter(buffer, StunMessageType.BindingErrorResponse, Rfc5769.TransactionId);
        writer.Add(StunAttributeType.ErrorCode, Rfc5769.Hex(value));

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.False(message.TryGetErrorCode(out _, out _));
    }

    [Fact]
    public void An_ipv4_address_seen_on_a_dual_stack_socket_is_mapped_as_ipv4()
    {
        var buffer = new byte[64];
        var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, Rfc5769.TransactionId);
        writer.AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), Rfc5769.MappedPort));

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), Rfc5769.MappedPort), mapped);
    }

    private static IEnumerable<byte[]> Vectors() =>
        [Rfc5769.Request, Rfc5769.ResponseV4, Rfc5769.ResponseV6, Rfc5769.LongTermRequest];

    private static void Exercise(ReadOnlySpan<byte> packet)
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

        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetErrorCode(out _, out _);
        _ = message.TryGetText(StunAttributeType.Username, out _);
        _ = message.TryGetUInt32(StunAttributeType.Priority, out _);
        _ = message.TryGetUInt64(StunAttributeType.IceControlling, out _);
        _ = message.CollectUnknownAttributes(stackalloc ushort[4]);
        _ = message.VerifyMessageIntegrity(Key);
        _ = message.VerifyFingerprint();
    }
}
