using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaBridge.Stun;

namespace MediaBridge.Tests.Stun;

public sealed class Rfc5769Tests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769.Password);

    /// <summary>RFC 5769 §2.4: the long-term key is MD5 of "username:realm:password", the password after SASLprep.</summary>
    private static readonly byte[] LongTermKey = MD5.HashData(Encoding.UTF8.GetBytes("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX"));

    [Fact]
    public void The_sample_request_parses_and_its_integrity_and_fingerprint_hold()
    {
        Assert.True(StunMessage.IsStun(Rfc5769.Request));
        Assert.True(StunMessage.TryParse(Rfc5769.Request, out var message));

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(Rfc5769.TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetText(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", software);
        Assert.True(message.TryGetText(StunAttributeType.Username, out var username));
        Assert.Equal(Rfc5769.Username, username);
        Assert.True(message.TryGetUInt32(StunAttributeType.Priority, out var priority));
        Assert.Equal(0x6E0001FFu, priority);
        Assert.True(message.TryGetUInt64(StunAttributeType.IceControlled, out var tieBreaker));
        Assert.Equal(0x932FF9B151263B36ul, tieBreaker);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void The_ipv4_response_maps_192_0_2_1()
    {
        Assert.True(StunMessage.TryParse(Rfc5769.ResponseV4, out var message));

        Assert.Equal(StunMessageType.BindingSuccessResponse, message.Type);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), Rfc5769.MappedPort), mapped);
        Assert.True(message.TryGetText(StunAttributeType.Software, out var software));
        Assert.Equal("test vector", software);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void The_ipv6_response_maps_2001_db8()
    {
        Assert.True(StunMessage.TryParse(Rfc5769.ResponseV6, out var message));

        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), Rfc5769.MappedPort), mapped);
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void The_long_term_request_verifies_with_the_md5_key_and_has_no_fingerprint()
    {
        Assert.True(StunMessage.TryParse(Rfc5769.LongTermRequest, out var message));

        Assert.True(message.TryGetText(StunAttributeType.Username, out var username));
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", username);
        Assert.True(message.TryGetText(StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", realm);
        Assert.True(message.TryGetText(StunAttributeType.Nonce, out var nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", nonce);
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(LongTermKey));
        Assert.False(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void Writing_the_sample_request_reproduces_it()
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.TransactionId) { Padding = 0x20 };
        writer.AddText(StunAttributeType.Software, "STUN test client");
        writer.AddUInt32(StunAttributeType.Priority, 0x6E0001FF);
        writer.AddUInt64(StunAttributeType.IceControlled, 0x932FF9B151263B36);
        writer.AddText(StunAttributeType.Username, Rfc5769.Username);
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();

        Assert.Equal(Convert.ToHexString(Rfc5769.Request), Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void Writing_the_ipv4_and_ipv6_responses_reproduces_them()
    {
        Assert.Equal(Convert.ToHexString(Rfc5769.ResponseV4), Convert.ToHexString(Response(IPAddress.Parse("192.0.2.1"))));
        Assert.Equal(
            Convert.ToHexString(Rfc5769.ResponseV6),
            Convert.ToHexString(Response(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"))));
    }

    [Fact]
    public void Writing_the_long_term_request_reproduces_it()
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769.LongTermRequest[8..20]);
        writer.AddText(StunAttributeType.Username, "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9");
        writer.AddText(StunAttributeType.Nonce, "f//499k954d6OL34oL9FSTvy64sA");
        writer.AddText(StunAttributeType.Realm, "example.org");
        writer.AddMessageIntegrity(LongTermKey);

        Assert.Equal(Convert.ToHexString(Rfc5769.LongTermRequest), Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void A_wrong_password_fails_integrity()
    {
        Assert.True(StunMessage.TryParse(Rfc5769.Request, out var message));

        Assert.False(message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu")));
        Assert.False(message.VerifyMessageIntegrity([]));
    }

    [Fact]
    public void Any_flipped_bit_after_the_header_fails_integrity_or_fingerprint()
    {
        var integrityEnd = Rfc5769.Request.Length - 8;
        for (var i = StunMessage.HeaderLength; i < Rfc5769.Request.Length; i++)
        {
            var tampered = (byte[])Rfc5769.Request.Clone();
            tampered[i] ^= 0x04;
            if (!StunMessage.TryParse(tampered, out var message))
            {
                continue;
            }

            Assert.False(message.VerifyFingerprint());
            if (i < integrityEnd)
            {
                Assert.False(message.VerifyMessageIntegrity(Key));
            }
        }
    }

    [Fact]
    public void A_fingerprint_off_by_one_fails_while_integrity_still_holds()
    {
        var tampered = (byte[])Rfc5769.ResponseV4.Clone();
        tampered[^1] ^= 1;

        Assert.True(StunMessage.TryParse(tampered, out var message));
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    private static byte[] Response(IPAddress address)
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, Rfc5769.TransactionId) { Padding = 0x20 };
        writer.AddText(StunAttributeType.Software, "test vector");
        writer.AddXorMappedAddress(new IPEndPoint(address, Rfc5769.MappedPort));
        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        return writer.Written.ToArray();
    }
}
